import { Router, type Request, type Response } from 'express';
import type { RatingLinkService } from '../../app/rating-links';
import type { Logger } from '../../logger';
import { FORBIDDEN_PAGE, PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';
import { renderRatingPage } from './rating-page';

export interface RatingRouterDeps {
  readonly links: ReportLinks;
  readonly rating: RatingLinkService;
  readonly clock: () => number;
  readonly log: Logger;
}

/** The report pages' headers, except that this page's one form may post back to us. */
const HEADERS: Readonly<Record<string, string>> = {
  ...PAGE_HEADERS,
  'Content-Security-Policy': (PAGE_HEADERS['Content-Security-Policy'] ?? '').replace("form-action 'none'", "form-action 'self'"),
};

/**
 * GET and POST /ratings/:duty: a member's 述职评议 link (DingTalk; src/app/rating-links.ts, signed as in
 * src/http/reports/rating-signing.ts). GET only shows the page with a confirm button; the button's POST records.
 * A GET that recorded would be set off by link previews and prefetching without the member's tap. Nothing is read
 * before the signature and the expiry hold. Never logs the choice.
 */
export function ratingRouter(deps: RatingRouterDeps): Router {
  const router = Router();
  const serve = (method: 'get' | 'post') => async (req: Request<{ duty: string }>, res: Response): Promise<void> => {
    const now = deps.clock();
    const verdict = await deps.links.verifyRating(req.params.duty, req.query, now);
    res.set(HEADERS);
    if (!verdict.ok) {
      deps.log.info({ reason: verdict.reason, method }, 'rating link refused');
      res.status(403).type('html').send(FORBIDDEN_PAGE);
      return;
    }
    const page = method === 'get' ? await deps.rating.page(verdict.params, now) : await deps.rating.submit(verdict.params, now);
    if (method === 'post') deps.log.info({ dutyId: verdict.params.dutyId, kind: page.kind }, 'rating link used');
    res.status(page.kind === 'refused' ? 409 : 200).type('html').send(renderRatingPage(page, req.originalUrl));
  };
  router.get('/ratings/:duty', serve('get'));
  router.post('/ratings/:duty', serve('post'));
  return router;
}
