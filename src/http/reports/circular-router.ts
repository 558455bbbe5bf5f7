import { Router, type Request, type Response } from 'express';
import { sizeOf, type CircularService } from '../../app/circular-service';
import { chatOfKey } from '../../app/unit-service';
import { CIRCULAR_COLUMNS, cellText, circularCells } from './circular-table';
import { renderCircularPage } from './circular-page';
import { circularXlsx } from './circular-xlsx';
import { toCsv } from './csv';
import { FORBIDDEN_PAGE } from './html';
import { openPeriodLink, refuseLink, setAttachment, XLSX_TYPE, type PeriodLinkDeps } from './period-link';

export interface CircularRouterDeps extends PeriodLinkDeps {
  readonly circular: CircularService;
}

/**
 * GET /reports/:chat/circular, …/circular.xlsx and …/circular.csv: a committee chat's circular (通报) of a period,
 * signed like the report page (src/http/reports/signing.ts; the link of `通报 本季度`). Nothing is read before the
 * signature and the expiry hold; the chat must still be a unit above 党支部.
 */
export function circularRouter(deps: CircularRouterDeps): Router {
  const router = Router();
  const serve = (format: 'html' | 'xlsx' | 'csv') => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const link = await openPeriodLink(deps, 'circular', format, req, res);
    if (!link) return;
    const { params, period, query } = link;
    const chat = chatOfKey(params.chatKey);
    if (!chat) {
      refuseLink(deps, res, 'circular', { reason: 'chat', format });
      return;
    }
    const committee = await deps.circular.committeeOf(chat).catch(() => undefined);
    if (!committee) {
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const circular = await deps.circular.circular(committee, sizeOf(period), period, link.now);
    if (format === 'html') {
      const page = renderCircularPage({ circular, timeZone: deps.timeZone, expiresAt: params.exp * 1000, xlsxHref: `./circular.xlsx?${query}`, csvHref: `./circular.csv?${query}` });
      res.type('html').send(page);
      return;
    }
    setAttachment(res, 'circular', `${committee.name}-${period.title}-通报`, format);
    if (format === 'xlsx') {
      res.type(XLSX_TYPE).send(await circularXlsx(circular, deps.timeZone));
      return;
    }
    res.type('text/csv; charset=utf-8').send(toCsv(CIRCULAR_COLUMNS, circularCells(circular).map((row) => row.map(cellText))));
  };
  router.get('/reports/:chat/circular', serve('html'));
  router.get('/reports/:chat/circular.xlsx', serve('xlsx'));
  router.get('/reports/:chat/circular.csv', serve('csv'));
  return router;
}
