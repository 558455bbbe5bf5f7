import type { Response, Router } from 'express';
import type { Ledger } from '../../app/ledger-service';
import type { Services } from '../../app/services';
import type { ReportLinks } from './links';
import { writeLedgerZip } from './ledger-zip';
import { pointsRouter } from './points-router';
import { circularRouter } from './circular-router';
import { ratingRouter } from './rating-router';
import { recordRouter } from './record-router';
import { reportRouter } from './router';

/** The router of /reports and /records: the signed report pages, record pages and ledgers, and their downloads. */
export function createReports(services: Services, links: ReportLinks): Router {
  const common = { links, clock: services.clock, timeZone: services.config.BOT_TIMEZONE, log: services.log.child({ component: 'reports' }) };
  const router = reportRouter({ stats: services.stats, ...common });
  const materials = services.ledger.materials;
  // The ZIP needs the materials' bytes: served once the materials source can open them (src/app/materials-service.ts).
  const ledgerZip = materials.open
    ? async (ledger: Ledger, res: Response): Promise<void> => {
        res.type('application/zip');
        await writeLedgerZip({ ledger, materials, timeZone: common.timeZone, log: common.log }, res).catch((err: unknown) => {
          // The headers are sent: the reader sees a cut-off download (the reader went away, or a file failed).
          common.log.warn({ err, chatId: ledger.chat.chatId }, 'ledger zip not completed');
        });
      }
    : undefined;
  router.use(recordRouter({ ledger: services.ledger, ...common, ...(ledgerZip ? { ledgerZip } : {}) }));
  router.use(pointsRouter({ points: services.points, ...common }));
  router.use(circularRouter({ circular: services.circular, ...common }));
  // 述职评议 by links (DingTalk), where the service signs them.
  if (services.rating.links) router.use(ratingRouter({ rating: services.rating.links, links, clock: common.clock, log: common.log }));
  return router;
}
