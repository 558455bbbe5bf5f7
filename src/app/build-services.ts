import path from 'node:path';
import type { StoreConnection } from '../store/redis-cluster';
import type { Config } from '../config';
import type { ChatRef } from '../domain/types';
import { parseQuietHours } from '../domain/quiet-hours';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { Outbox } from '../queue/outbox';
import type { QueueSet } from '../queue/queues';
import { ReminderPlanner } from '../queue/reminder-planner';
import { CampaignRepo } from '../store/campaign-repo';
import { ChatRepo } from '../store/chat-repo';
import { Dedupe } from '../store/dedupe';
import { DraftRepo } from '../store/draft-repo';
import { DutyRepo } from '../store/duty-repo';
import { calendarFromFiles, defaultCalendar } from '../store/holiday-files';
import { NudgeThrottle } from '../store/nudge-throttle';
import { logDamaged } from '../store/records';
import type { TxPool } from '../store/redis';
import { SentLog } from '../store/sent-log';
import { SeriesRepo } from '../store/series-repo';
import { blobStore } from '../store/files/blob-store-of';
import { MaterialRepo } from '../store/files/material-repo';
import { SigninRepo } from '../store/signin-repo';
import { SigninPlanner } from '../queue/signin-planner';
import { SigninService } from './signin-service';
import { RatingRepo } from '../store/rating-repo';
import { RatingService } from './rating-service';
import { CircularService, type CircularLinker } from './circular-service';
import { CircularFigures } from './circular-figures';
import { RatingResultsReader } from './rating-results';
import { DutySummaryRepo } from '../store/duty-summary-repo';
import { CircularAuto } from './circular-auto';
import { AUTO_CIRCULAR_SETTING } from './settings-service';
import { SigninAttendance } from './signin-attendance';
import { DutyService } from './duty-service';
import { MaterialsService } from './materials-service';
import { CardReplies } from './stats-card-reply';
import { DutyViews } from './duty-views';
import { NudgeService } from './nudges';
import { PlanContexts } from './plan-context';
import { PlatformRegistry } from './platform-registry';
import { RosterService } from './roster';
import { SeriesService } from './series-service';
import type { Services } from './services';
import type { ReportLinker } from './stats-service';
import type { RecordLinker } from './ledger-links';
import { LedgerService, RsvpAttendance } from './ledger-service';
import { MinutesService } from './minutes-service';
import { MinutesPlanner } from '../queue/minutes-planner';
import { MinutesRepo } from '../store/minutes-repo';
import { StatsService } from './stats-service';
import { UnitRepo } from '../store/unit-repo';
import { ChatRoles } from './chat-roles';
import { UnitService } from './unit-service';
import { ComplianceService } from './compliance-service';
import { ComplianceWarnings } from './compliance-warnings';
import { parseWarnDays } from '../domain/compliance-warning';
import { parseRequirementsFile } from '../domain/compliance-file';
import { readOrgFile } from '../store/org-file';
import type { RequirementRow } from '../../schedules/compliance';
import type { PointsLinker } from './points-links';
import type { RatingLinker } from './rating-links';
import { PointsService } from './points-service';
import { PointsReads } from '../store/points-reads';
import { loadPointsRules } from '../store/points-rules-file';
import { configRecordKeys } from '../store/key-prefixes';
import type { Keys } from '../store/keys';

export interface ServiceDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: () => number;
  readonly redis: StoreConnection;
  readonly tx: TxPool;
  readonly queues: QueueSet;
  readonly metrics: Metrics;
  readonly reportLinks: ReportLinker & RecordLinker & PointsLinker & CircularLinker & RatingLinker;
  /** The records' key builder, one per process (src/store/keys.ts); else built from the config. */
  readonly keys?: Keys;
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

/** The repositories and services over one Redis and one set of queues, built once by the composition root (src/bot.ts). */
export function buildServices(deps: ServiceDeps): Services {
  const { config, log, clock, redis, tx, queues, metrics } = deps;
  const prefix = deps.keys ?? configRecordKeys(config);
  // Lists leave out records that do not parse and log each with its key (src/store/records.ts).
  const damaged = logDamaged(log.child({ component: 'store' }));
  const duties = new DutyRepo(redis, tx, prefix, damaged);
  const chats = new ChatRepo(redis, prefix, Date.now, damaged);
  const platforms = new PlatformRegistry(metrics);
  const roster = new RosterService(chats, platforms, clock);
  const calendar = config.HOLIDAY_OVERRIDE_DIR ? calendarFromFiles(config.HOLIDAY_OVERRIDE_DIR) : defaultCalendar();
  const planContexts = new PlanContexts(chats, calendar, config.BOT_TIMEZONE, parseQuietHours(config.DEFAULT_QUIET_HOURS));
  const minutesPlanner = new MinutesPlanner(queues.minutes, calendar, config.BOT_TIMEZONE);
  const planner = new ReminderPlanner(queues.reminders, planContexts, log.child({ component: 'planner' }), (n) => metrics.planned.inc(n), minutesPlanner, new SigninPlanner(queues.signin));
  const minutes = new MinutesRepo(redis, tx, prefix, damaged);
  const outbox = new Outbox(queues.cards);
  const signins = new SigninRepo(redis, prefix, damaged);
  const views = new DutyViews(duties, roster, config.BOT_TIMEZONE, signins);
  const sent = new SentLog(redis, prefix);
  const campaigns = new CampaignRepo(redis, prefix, damaged);
  const seriesRepo = new SeriesRepo(redis, tx, prefix, damaged);
  const dutyService = new DutyService({ config, duties, chats, roster, planner, outbox, campaigns });
  const materials = new MaterialsService({
    maxMb: config.FILE_MAX_MB,
    duties,
    dutyService,
    blobs: blobStore(config),
    materials: new MaterialRepo(redis, prefix, damaged),
    outbox,
    cards: new CardReplies({ sent, platforms }),
    clock,
    log: log.child({ component: 'materials' }),
    // Cached, else asked of the platform once (a Feishu group's name comes from chat.get).
    chatName: async (chat) => (await chats.name(chat)) ?? (await chats.title(chat)) ?? (await platformChatName(roster, chat)),
    retryDelaysMs: config.FILE_RETRY_DELAYS_MS,
  });
  const signin = new SigninService({ config, duties, signins, chats, roster, outbox, platforms, sent });
  // Attendance from the sign-ins where the meeting used them, else the RSVP answers; materials are the files attached (附件).
  const attendance = new SigninAttendance(signin, new RsvpAttendance(duties));
  const ledger = new LedgerService({ duties, minutes, roster, attendance, materials: materials.asSource(), log: log.child({ component: 'ledger' }) });
  const roles = new ChatRoles({ config, chats, roster });
  const units = new UnitService({ config, units: new UnitRepo(redis, prefix, damaged), secretaries: (chat) => roles.secretaries(chat) });
  const compliance = new ComplianceService({ units, ledger, timeZone: config.BOT_TIMEZONE, ...requirementsFrom(config) });
  const dedupe = new Dedupe(redis, prefix);
  // Chat names (the 支部 column) come from the store, else the platform (the sandbox knows its own).
  const stats = new StatsService({ duties, chats, roster, log, chatName: (chat) => roster.chatName(chat), signins });
  // 积分: the rules of schedules/points.ts, or the operator's <DATA_DIR>/points.yaml over them.
  const points = new PointsService({
    duties,
    chats,
    reads: new PointsReads(redis, prefix, damaged),
    roster,
    calendar,
    timeZone: config.BOT_TIMEZONE,
    rules: loadPointsRules(config.DATA_DIR),
    platforms,
    sent,
    log: log.child({ component: 'points' }),
  });
  const ratingRepo = new RatingRepo(redis, prefix, damaged);
  const rating = new RatingService({
    config,
    duties,
    ratings: ratingRepo,
    chats,
    roster,
    outbox,
    platforms,
    sent,
    calendar,
    clock,
    linker: deps.reportLinks,
    log: log.child({ component: 'rating' }),
  });
  const figures = new CircularFigures({
    summaries: new DutySummaryRepo(redis, prefix, damaged),
    reads: new PointsReads(redis, prefix, damaged),
    roster,
    calendar,
    rules: points.rules,
    timeZone: config.BOT_TIMEZONE,
    log: log.child({ component: 'circular' }),
  });
  const circular = new CircularService({ units, figures, compliance, ratings: new RatingResultsReader(ratingRepo), timeZone: config.BOT_TIMEZONE });
  return {
    config,
    log,
    clock,
    duties,
    chats,
    dedupe,
    sent,
    materials,
    planner,
    outbox,
    platforms,
    roster,
    views,
    dutyService,
    planContexts,
    calendar,
    campaigns,
    drafts: new DraftRepo(redis, prefix, damaged),
    stats,
    reportLinks: deps.reportLinks,
    minutes,
    minutesPlanner,
    minutesService: new MinutesService({ config, chats, dutyService, minutes, reminders: minutesPlanner }),
    ledger,
    signin,
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
    points,
    rating,
    circular,
    circularAuto: new CircularAuto({
      units,
      circular,
      warm: (now) => circular.warm(now),
      links: deps.reportLinks,
      isWorkday: (d) => calendar.isWorkday(d),
      // On unless a secretary turned it off (设置 自动通报 关); read as SettingsService reads it.
      autoOn: async (chat) => (await chats.setting(chat, AUTO_CIRCULAR_SETTING)) !== 'off',
      quiet: async (chat) => ({ quiet: await planContexts.quietHours(chat), timeZone: config.BOT_TIMEZONE, isWorkday: (d) => calendar.isWorkday(d) }),
      queue: (job, delayMs) => outbox.circular(job, delayMs),
      platforms,
      sent,
      firstTime: (scope, id, ttl) => dedupe.firstTime(scope, id, ttl),
      forget: (scope, id) => dedupe.forget(scope, id),
      timeZone: config.BOT_TIMEZONE,
      log: log.child({ component: 'circular' }),
    }),
    seriesRepo,
    seriesService: new SeriesService({ config, series: seriesRepo, dutyService, calendar, queue: queues.series, log: log.child({ component: 'series' }) }),
    nudges: new NudgeService({ duties, views, chats, roster, platforms, throttle: new NudgeThrottle(redis, prefix), timeZone: config.BOT_TIMEZONE }),
  };
}

/** The chat's name as the platform tells it (then cached), undefined when it cannot say. */
async function platformChatName(roster: RosterService, chat: ChatRef): Promise<string | undefined> {
  const name = await roster.chatName(chat).catch(() => undefined);
  return name === chat.chatId ? undefined : name;
}
