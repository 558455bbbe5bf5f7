import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { RATING_CHOICES } from '../../domain/rating';
import type { RatingLinkService, RatingPage } from '../../app/rating-links';
import type { Logger } from '../../logger';
import { PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';
import { refuseLink } from './period-link';
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

/** The POST's form body: the choice, and when changing the current choice sealed. */
const postSchema = z.object({ c: z.enum(RATING_CHOICES), s: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional() });

const BAD_POST_PAGE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求不完整</title></head><body><p>请求不完整，请回到评议页面重新点选。</p></body></html>\n';

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
      refuseLink(deps, res, 'rating', { reason: verdict.reason, method });
      return;
    }
    let page: RatingPage;
    if (method === 'get') page = await deps.rating.page(verdict.params, now);
    else {
      const body = postSchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).type('html').send(BAD_POST_PAGE);
        return;
      }
      page = await deps.rating.submit(verdict.params, { choice: body.data.c, ...(body.data.s ? { seal: body.data.s } : {}) }, now);
    }
    if (method === 'post') deps.log.info({ dutyId: verdict.params.dutyId, kind: page.kind }, 'rating link used');
    res.status(page.kind === 'refused' ? 409 : 200).type('html').send(renderRatingPage(page, req.originalUrl));
  };
  router.get('/ratings/:duty', serve('get'));
  router.post('/ratings/:duty', express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 4 }), serve('post'));
  return router;
}
