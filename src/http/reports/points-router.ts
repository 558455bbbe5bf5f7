import { Router, type Request, type Response } from 'express';
import type { PointsService } from '../../app/points-service';
import { renderPointsPage } from './points-page';
import { pointsXlsx } from './points-xlsx';
import { chatOf, openPeriodLink, setAttachment, XLSX_TYPE, type PeriodLinkDeps } from './period-link';

export interface PointsRouterDeps extends PeriodLinkDeps {
  readonly points: PointsService;
}

/**
 * GET /reports/:chat/points and …/points.xlsx: a chat's 积分 of a period, signed like the report page
 * (src/http/reports/signing.ts; the link of `积分 排行`). Nothing is read before the signature and the expiry hold.
 */
export function pointsRouter(deps: PointsRouterDeps): Router {
  const router = Router();
  const serve = (format: 'html' | 'xlsx') => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const link = await openPeriodLink(deps, 'points', format, req, res);
    if (!link) return;
    const { params, period, query } = link;
    const ranking = await deps.points.ranking(chatOf(params.chatKey), period, link.now);
    if (format === 'html') {
      res.type('html').send(renderPointsPage({ ranking, timeZone: deps.timeZone, expiresAt: params.exp * 1000, xlsxHref: `./points.xlsx?${query}` }));
      return;
    }
    setAttachment(res, 'points', `${ranking.chatName}-${period.title}-积分`, 'xlsx');
    res.type(XLSX_TYPE).send(await pointsXlsx(ranking, deps.timeZone));
  };
  router.get('/reports/:chat/points', serve('html'));
  router.get('/reports/:chat/points.xlsx', serve('xlsx'));
  return router;
}
