import path from 'node:path';
import type { RequirementRow } from '../../schedules/compliance';
import type { Config } from '../config';
import { parseRequirementsFile } from '../domain/compliance-file';
import { parseWarnDays } from '../domain/compliance-warning';
import { readOrgFile } from '../store/org-file';
import { UnitRepo } from '../store/unit-repo';
import type { DutyServices } from './build-duty-services';
import { ChatRoles } from './chat-roles';
import { ComplianceService } from './compliance-service';
import { ComplianceWarnings } from './compliance-warnings';
import { LedgerService, RsvpAttendance } from './ledger-service';
import type { ServiceDeps, StoreScope } from './service-deps';
import type { Services } from './services';
import { SigninAttendance } from './signin-attendance';
import { UnitService } from './unit-service';

/** 督查 (issue 15): the ledger it counts, the units it counts for, their compliance and its early warnings. */
export type ComplianceServices = Pick<Services, 'ledger' | 'units' | 'compliance' | 'complianceWarnings'>;

/** The compliance area of buildServices (src/app/build-services.ts), over the duty area's services. */
export function buildComplianceServices(deps: ServiceDeps, store: StoreScope, duty: DutyServices): ComplianceServices {
  const { config, log } = deps;
  const { duties, chats, roster, minutes, materials, signin, planContexts, calendar, outbox, dedupe } = duty;
  // Attendance from the sign-ins where the meeting used them, else the RSVP answers; materials are the files attached (附件).
  const attendance = new SigninAttendance(signin, new RsvpAttendance(duties));
  const ledger = new LedgerService({ duties, minutes, roster, attendance, materials: materials.asSource(), log: log.child({ component: 'ledger' }) });
  const roles = new ChatRoles({ config, chats, roster });
  const units = new UnitService({ config, units: new UnitRepo(store.redis, store.keys, store.damaged), secretaries: (chat) => roles.secretaries(chat) });
  const compliance = new ComplianceService({ units, ledger, timeZone: config.BOT_TIMEZONE, ...requirementsFrom(config) });
  return {
    ledger,
    units,
    compliance,
    complianceWarnings: new ComplianceWarnings({
      units,
      compliance,
      quiet: async (chat) => ({ quiet: await planContexts.quietHours(chat), timeZone: config.BOT_TIMEZONE, isWorkday: (d) => calendar.isWorkday(d) }),
      isWorkday: (d) => calendar.isWorkday(d),
      secretaries: (chat) => roles.secretaries(chat),
      send: (chat, text, key) => outbox.text(chat, text, key),
      firstTime: (scope, id, ttl) => dedupe.firstTime(scope, id, ttl),
      forget: (scope, id) => dedupe.forget(scope, id),
      warnDays: parseWarnDays(config.COMPLIANCE_WARN_DAYS) ?? [5, 2],
      timeZone: config.BOT_TIMEZONE,
      log: log.child({ component: 'compliance' }),
    }),
  };
}

/**
 * The operator's requirements file (COMPLIANCE_FILE, else `<DATA_DIR>/compliance.yaml`) when there is one; a file that
 * does not read stops start-up with its line, like a bad setting.
 */
function requirementsFrom(config: Config): { requirements?: RequirementRow[] } {
  const file = config.COMPLIANCE_FILE ?? path.join(config.DATA_DIR, 'compliance.yaml');
  const text = readOrgFile(file);
  if (text === undefined) return {};
  const parsed = parseRequirementsFile(text);
  if (!parsed.ok) throw new Error(`invalid requirements file ${file}: ${parsed.error}`);
  return { requirements: parsed.rows };
}
