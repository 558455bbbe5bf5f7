import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { RatingLinkParams } from '../../app/rating-links';

/**
 * Signed links of a member's 述职评议 page (DingTalk, src/app/rating-links.ts):
 *
 *   /ratings/<duty id>?m=<member, URI-encoded>&t=<hint>&exp=<s>&sig=<base64url>
 *
 * `t` is the choice the button stood for, sealed (opaque: an access log of the link shows who opened a page, not
 * which choice). sig is the HMAC-SHA256 (base64url, no padding) of exactly that path and query without `&sig=…`,
 * with the key of the report links (src/http/reports/signing.ts). The path starts with /ratings/, so no report,
 * record or points link's signature opens it, nor the other way round. A link whose member or hint was changed is
 * refused before anything is read.
 */
export type RatingVerdict = { readonly ok: true; readonly params: RatingLinkParams } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

const querySchema = z.object({
  m: z.string().regex(/^[^\s/?#&]{1,128}$/),
  t: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/),
  exp: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export function ratingCanonicalPath(p: RatingLinkParams): string {
  return `/ratings/${encodeURIComponent(p.dutyId)}?m=${encodeURIComponent(p.member)}&t=${p.hint}&exp=${p.exp}`;
}

function sign(key: Buffer, p: RatingLinkParams): string {
  return createHmac('sha256', key).update(ratingCanonicalPath(p)).digest('base64url');
}

/** The path and query of a signed rating link. */
export function signedRatingPath(key: Buffer, p: RatingLinkParams): string {
  return `${ratingCanonicalPath(p)}&sig=${sign(key, p)}`;
}

/** Check a request's duty id (from the path) and query: the signature in constant time, then the expiry. */
export function verifyRating(key: Buffer, dutyId: string, query: unknown, nowMs: number): RatingVerdict {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success || !/^[a-z2-7]{1,40}$/.test(dutyId)) return { ok: false, reason: 'malformed' };
  const { m, t, exp, sig } = parsed.data;
  const params: RatingLinkParams = { dutyId, member: m, hint: t, exp };
  const expected = Buffer.from(sign(key, params));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, params };
}
