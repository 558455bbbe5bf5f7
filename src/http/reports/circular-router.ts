import { Router, type Request, type Response } from 'express';
import { sizeOf, type CircularService } from '../../app/circular-service';
import { describePeriod } from '../../domain/stats-period';
import type { Logger } from '../../logger';
import { chatOfKey } from '../../app/unit-service';
import { CIRCULAR_COLUMNS, cellText, circularCells } from './circular-table';
import { renderCircularPage } from './circular-page';
import { circularXlsx } from './circular-xlsx';
import { toCsv } from './csv';
import { FORBIDDEN_PAGE, PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';

export interface CircularRouterDeps {
  readonly circular: CircularService;
  readonly links: ReportLinks;
  readonly clock: () => number;
  readonly timeZone: string;
  readonly log: Logger;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * GET /reports/:chat/circular, …/circular.xlsx and …/circular.csv: a committee chat's circular (通报) of a period,
 * signed like the report page (src/http/reports/signing.ts; the link of `通报 本季度`). Nothing is read before the
 * signature and the expiry hold; the chat must still be a unit above 党支部.
 */
export function circularRouter(deps: CircularRouterDeps): Router {
  const router = Router();
  const serve = (format: 'html' | 'xlsx' | 'csv') => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const now = deps.clock();
    const verdict = await deps.links.verify(req.params.chat, req.query, now);
    res.set(PAGE_HEADERS);
    const chat = verdict.ok ? chatOfKey(verdict.params.chatKey) : undefined;
    if (!verdict.ok || !chat) {
      deps.log.info({ reason: verdict.ok ? 'chat' : verdict.reason, format }, 'circular link refused');
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const { params } = verdict;
    const period = { from: params.from * 1000, to: params.to * 1000, title: describePeriod(params.from * 1000, params.to * 1000, deps.timeZone) };
    const committee = await deps.circular.committeeOf(chat).catch(() => undefined);
    if (!committee) {
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const circular = await deps.circular.circular(committee, sizeOf(period), period, now);
    const query = `from=${params.from}&to=${params.to}&exp=${params.exp}&sig=${String(req.query.sig)}`;
    if (format === 'html') {
      const page = renderCircularPage({ circular, timeZone: deps.timeZone, expiresAt: params.exp * 1000, xlsxHref: `./circular.xlsx?${query}`, csvHref: `./circular.csv?${query}` });
      res.type('html').send(page);
      return;
    }
    const fileName = `${committee.name}-${period.title}-通报`.replace(/[\\/:*?"<>|\s]+/g, '_');
    res.set('Content-Disposition', `attachment; filename="circular.${format}"; filename*=UTF-8''${encodeURIComponent(`${fileName}.${format}`)}`);
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
