import type { Router } from 'express';
import type { Services } from '../../app/services';
import type { ReportLinks } from './links';
import { pointsRouter } from './points-router';
import { recordRouter } from './record-router';
import { reportRouter } from './router';

/** The router of /reports and /records: the signed report pages, record pages and ledgers, and their downloads. */
export function createReports(services: Services, links: ReportLinks): Router {
  const common = { links, clock: services.clock, timeZone: services.config.BOT_TIMEZONE, log: services.log.child({ component: 'reports' }) };
  const router = reportRouter({ stats: services.stats, ...common });
  router.use(recordRouter({ ledger: services.ledger, ...common }));
  router.use(pointsRouter({ points: services.points, ...common }));
  return router;
}
