import { Router, type Request, type Response } from 'express';
import type { PointsService } from '../../app/points-service';
import { describePeriod } from '../../domain/stats-period';
import type { ChatRef, PlatformName } from '../../domain/types';
import type { Logger } from '../../logger';
import { FORBIDDEN_PAGE, PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';
import { renderPointsPage } from './points-page';
import { pointsXlsx } from './points-xlsx';

export interface PointsRouterDeps {
  readonly points: PointsService;
  readonly links: ReportLinks;
  readonly clock: () => number;
  readonly timeZone: string;
  readonly log: Logger;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * GET /reports/:chat/points and …/points.xlsx: a chat's 积分 of a period, signed like the report page
 * (src/http/reports/signing.ts; the link of `积分 排行`). Nothing is read before the signature and the expiry hold.
 */
export function pointsRouter(deps: PointsRouterDeps): Router {
  const router = Router();
  const serve = (format: 'html' | 'xlsx') => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const now = deps.clock();
    const verdict = await deps.links.verify(req.params.chat, req.query, now);
    res.set(PAGE_HEADERS);
    if (!verdict.ok) {
      deps.log.info({ reason: verdict.reason, format }, 'points link refused');
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const { params } = verdict;
    const period = { from: params.from * 1000, to: params.to * 1000, title: describePeriod(params.from * 1000, params.to * 1000, deps.timeZone) };
    const ranking = await deps.points.ranking(chatOf(params.chatKey), period, now);
    const query = `from=${params.from}&to=${params.to}&exp=${params.exp}&sig=${String(req.query.sig)}`;
    if (format === 'html') {
      res.type('html').send(renderPointsPage({ ranking, timeZone: deps.timeZone, expiresAt: params.exp * 1000, xlsxHref: `./points.xlsx?${query}` }));
      return;
    }
    const fileName = `${ranking.chatName}-${period.title}-积分`.replace(/[\\/:*?"<>|\s]+/g, '_');
    res.set('Content-Disposition', `attachment; filename="points.xlsx"; filename*=UTF-8''${encodeURIComponent(`${fileName}.xlsx`)}`);
    res.type(XLSX_TYPE).send(await pointsXlsx(ranking, deps.timeZone));
  };
  router.get('/reports/:chat/points', serve('html'));
  router.get('/reports/:chat/points.xlsx', serve('xlsx'));
  return router;
}

function chatOf(key: string): ChatRef {
  const at = key.indexOf(':');
  return { platform: key.slice(0, at) as PlatformName, chatId: key.slice(at + 1) };
}
