import type { Router } from 'express';
import type { Services } from '../../app/services';
import type { ReportLinks } from './links';
import { reportRouter } from './router';

/** The router of /reports: the signed report pages and their CSV and XLSX downloads. */
export function createReports(services: Services, links: ReportLinks): Router {
  return reportRouter({
    stats: services.stats,
    links,
    clock: services.clock,
    timeZone: services.config.BOT_TIMEZONE,
    log: services.log.child({ component: 'reports' }),
  });
}
