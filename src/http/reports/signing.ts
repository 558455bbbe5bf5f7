import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed report links. A link names one chat and one period and expires:
 *
 *   /reports/<chat key, URI-encoded>?from=<s>&to=<s>&exp=<s>&sig=<base64url>
 *
 * from and to are the period's inclusive ends and exp the expiry, all in epoch seconds. sig is the HMAC-SHA256,
 * base64url without padding, of the canonical form: exactly the path and query above without `&sig=…`, with the
 * parameters in that order. The CSV and XLSX downloads (`…/report.csv`, `…/report.xlsx`) take the same
 * parameters and signature: the signature grants the data of that chat and period, in any of its forms.
 */
export interface ReportParams {
  readonly chatKey: string;
  readonly from: number;
  readonly to: number;
  readonly exp: number;
}

export type Verdict = { readonly ok: true; readonly params: ReportParams } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

const CHAT_KEY = /^(?:sandbox|feishu|dingtalk):[^\s/?#]{1,200}$/;
const seconds = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);
const querySchema = z.object({ from: seconds, to: seconds, exp: seconds, sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export function canonicalPath(p: ReportParams): string {
  return `/reports/${encodeURIComponent(p.chatKey)}?from=${p.from}&to=${p.to}&exp=${p.exp}`;
}

export function signParams(key: Buffer, p: ReportParams): string {
  return createHmac('sha256', key).update(canonicalPath(p)).digest('base64url');
}

/** The path and query of a signed link. */
export function signedPath(key: Buffer, p: ReportParams): string {
  return `${canonicalPath(p)}&sig=${signParams(key, p)}`;
}

/**
 * Check a request's chat key (from the path, decoded) and query. The signature is compared in constant time, as
 * text, so that no other spelling of the same bytes passes; the expiry is checked only once the signature holds.
 */
export function verifyParams(key: Buffer, chatKey: string, query: unknown, nowMs: number): Verdict {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success || !CHAT_KEY.test(chatKey)) return { ok: false, reason: 'malformed' };
  const { from, to, exp, sig } = parsed.data;
  const params: ReportParams = { chatKey, from, to, exp };
  const expected = Buffer.from(signParams(key, params));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  if (from > to) return { ok: false, reason: 'malformed' };
  return { ok: true, params };
}
