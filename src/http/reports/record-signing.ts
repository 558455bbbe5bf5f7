import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed links of a duty's record page (记录 #7):
 *
 *   /records/<chat key, URI-encoded>/<number>?exp=<s>&sig=<base64url>
 *
 * sig is the HMAC-SHA256 (base64url, no padding) of exactly that path and query without `&sig=…`, with the key of
 * the report links (src/http/reports/signing.ts). The path starts with /records/, never /reports/, so a report
 * link's signature never opens a record page or the other way round. The materials' downloads
 * (`…/<number>/files/<id>`) take the same parameters: the signature grants that duty's record in any of its forms.
 */
export interface RecordParams {
  readonly chatKey: string;
  readonly number: number;
  readonly exp: number;
}

export type RecordVerdict = { readonly ok: true; readonly params: RecordParams } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

const CHAT_KEY = /^(?:sandbox|feishu|dingtalk):[^\s/?#]{1,200}$/;
const querySchema = z.object({
  exp: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export function recordCanonicalPath(p: RecordParams): string {
  return `/records/${encodeURIComponent(p.chatKey)}/${p.number}?exp=${p.exp}`;
}

export function signRecord(key: Buffer, p: RecordParams): string {
  return createHmac('sha256', key).update(recordCanonicalPath(p)).digest('base64url');
}

/** The path and query of a signed record link. */
export function signedRecordPath(key: Buffer, p: RecordParams): string {
  return `${recordCanonicalPath(p)}&sig=${signRecord(key, p)}`;
}

/** Check a request's chat key and number (from the path) and query; the signature in constant time, then the expiry. */
export function verifyRecord(key: Buffer, chatKey: string, number: string, query: unknown, nowMs: number): RecordVerdict {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success || !CHAT_KEY.test(chatKey) || !/^[1-9]\d{0,8}$/.test(number)) return { ok: false, reason: 'malformed' };
  const params: RecordParams = { chatKey, number: Number(number), exp: parsed.data.exp };
  const expected = Buffer.from(signRecord(key, params));
  const given = Buffer.from(parsed.data.sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (params.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, params };
}
