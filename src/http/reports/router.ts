import { Router, type Request, type Response } from 'express';
import type { StatsService } from '../../app/stats-service';
import { describePeriod } from '../../domain/stats-period';
import { REPORT_COLUMNS } from '../../domain/stats-rows';
import type { ChatRef, PlatformName } from '../../domain/types';
import type { Logger } from '../../logger';
import { toCsv } from './csv';
import { FORBIDDEN_PAGE, PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';
import { renderReportPage } from './page';
import type { ReportParams } from './signing';
import { toXlsx } from './xlsx';

export interface ReportRouterDeps {
  readonly stats: StatsService;
  readonly links: ReportLinks;
  readonly clock: () => number;
  readonly timeZone: string;
  readonly log: Logger;
}

type Format = 'html' | 'csv' | 'xlsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * GET /reports/:chat (the page), /reports/:chat/report.csv and /reports/:chat/report.xlsx, each with the signed
 * parameters of src/http/reports/signing.ts. Nothing is read before the signature and the expiry hold: otherwise
 * 403 with a short page.
 */
export function reportRouter(deps: ReportRouterDeps): Router {
  const router = Router();
  const serve = (format: Format) => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const now = deps.clock();
    const verdict = await deps.links.verify(req.params.chat, req.query, now);
    res.set(PAGE_HEADERS);
    if (!verdict.ok) {
      deps.log.info({ reason: verdict.reason, format }, 'report link refused');
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const { params } = verdict;
    const period = { from: params.from * 1000, to: params.to * 1000, title: describePeriod(params.from * 1000, params.to * 1000, deps.timeZone) };
    const report = await deps.stats.report(chatOf(params.chatKey), period, now);
    const fileName = `${report.chatName}-${period.title}-统计`.replace(/[\\/:*?"<>|\s]+/g, '_');
    const query = queryOf(params, String(req.query.sig));
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
    res.set('Content-Disposition', `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(`${fileName}.${format}`)}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(REPORT_COLUMNS, rows));
    else res.type(XLSX_TYPE).send(await toXlsx(report, rows, deps.timeZone));
  };
  router.get('/reports/:chat', serve('html'));
  router.get('/reports/:chat/report.csv', serve('csv'));
  router.get('/reports/:chat/report.xlsx', serve('xlsx'));
  return router;
}

function chatOf(key: string): ChatRef {
  const at = key.indexOf(':');
  return { platform: key.slice(0, at) as PlatformName, chatId: key.slice(at + 1) };
}

function queryOf(p: ReportParams, sig: string): string {
  return `from=${p.from}&to=${p.to}&exp=${p.exp}&sig=${sig}`;
}
