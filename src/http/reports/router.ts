import { Router, type Request, type Response } from 'express';
import type { StatsService } from '../../app/stats-service';
import { REPORT_COLUMNS } from '../../domain/stats-rows';
import { toCsv } from './csv';
import { renderReportPage } from './page';
import { chatOf, openPeriodLink, setAttachment, XLSX_TYPE, type PeriodLinkDeps } from './period-link';
import { toXlsx } from './xlsx';

export interface ReportRouterDeps extends PeriodLinkDeps {
  readonly stats: StatsService;
}

type Format = 'html' | 'csv' | 'xlsx';

/**
 * GET /reports/:chat (the page), /reports/:chat/report.csv and /reports/:chat/report.xlsx, each with the signed
 * parameters of src/http/reports/signing.ts. Nothing is read before the signature and the expiry hold: otherwise
 * 403 with a short page.
 */
export function reportRouter(deps: ReportRouterDeps): Router {
  const router = Router();
  const serve = (format: Format) => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const link = await openPeriodLink(deps, 'report', format, req, res);
    if (!link) return;
    const { params, period, query } = link;
    const report = await deps.stats.report(chatOf(params.chatKey), period, link.now);
    if (format === 'html') {
      const base = `./${encodeURIComponent(params.chatKey)}`;
      const html = renderReportPage({
        report,
        timeZone: deps.timeZone,
        csvHref: `${base}/report.csv?${query}`,
        xlsxHref: `${base}/report.xlsx?${query}`,
        expiresAt: params.exp * 1000,
      });
      res.type('html').send(html);
      return;
    }
    const rows = deps.stats.rows(report, deps.timeZone);
    setAttachment(res, 'report', `${report.chatName}-${period.title}-统计`, format);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(REPORT_COLUMNS, rows));
    else res.type(XLSX_TYPE).send(await toXlsx(report, rows, deps.timeZone));
  };
  router.get('/reports/:chat', serve('html'));
  router.get('/reports/:chat/report.csv', serve('csv'));
  router.get('/reports/:chat/report.xlsx', serve('xlsx'));
  return router;
}
