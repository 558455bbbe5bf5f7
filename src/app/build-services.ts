import { logDamaged } from '../store/records';
import { configRecordKeys } from '../store/key-prefixes';
import { buildComplianceServices } from './build-compliance-services';
import { buildDutyServices } from './build-duty-services';
import { buildReportServices } from './build-report-services';
import type { ServiceDeps, StoreScope } from './service-deps';
import type { Services } from './services';

/**
 * The repositories and services over one Redis and one set of queues, built once by the composition root (src/bot.ts),
 * area by area: duties and chats (build-duty-services.ts), 督查 (build-compliance-services.ts), reports
 * (build-report-services.ts).
 */
export function buildServices(deps: ServiceDeps): Services {
  const { config, log, clock } = deps;
  // Lists leave out records that do not parse and log each with its key (src/store/records.ts).
  const store: StoreScope = { redis: deps.redis, tx: deps.tx, keys: deps.keys ?? configRecordKeys(config), damaged: logDamaged(log.child({ component: 'store' })) };
  const { signins, ...duty } = buildDutyServices(deps, store);
  const compliance = buildComplianceServices(deps, store, duty);
  const reports = buildReportServices(deps, store, { ...duty, signins }, compliance);
  return { config, log, clock, reportLinks: deps.reportLinks, ...duty, ...compliance, ...reports };
}
