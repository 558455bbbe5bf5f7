import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests older or newer than this are refused (https://open.dingtalk.com/document/development/receive-message). */
export const WINDOW_MS = 3_600_000;

/** HTTP-mode robot messages: Base64(HmacSHA256(key = appSecret, msg = timestamp + "\n" + appSecret)). */
export const robotSign = (timestamp: string, appSecret: string): string =>
  createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');

/**
 * HTTP card callbacks registered with an `apiSecret`: headers `x-ddpaas-signature-timestamp` and
 * `x-ddpaas-signature` = Base64(HmacSHA256(key = apiSecret, msg = timestamp))
 * (https://open.dingtalk.com/document/development/register-card-callback-address).
 */
export const cardSign = (timestamp: string, apiSecret: string): string =>
  createHmac('sha256', apiSecret).update(timestamp, 'utf8').digest('base64');

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type Headers = (name: string) => string | undefined;

/** Why a request is refused, or undefined when it is signed and fresh. Checked before the body is even parsed. */
export function refusal(header: Headers, secrets: { appSecret: string; apiSecret?: string }, now: number): string | undefined {
  const ts = header('timestamp');
  const sign = header('sign');
  if (ts !== undefined && sign !== undefined) return check(ts, sign, robotSign(ts, secrets.appSecret), now);
  const cts = header('x-ddpaas-signature-timestamp');
  const csign = header('x-ddpaas-signature');
  if (secrets.apiSecret && cts !== undefined && csign !== undefined) return check(cts, csign, cardSign(cts, secrets.apiSecret), now);
  return 'missing timestamp or sign';
}

function check(ts: string, sign: string, expected: string, now: number): string | undefined {
  // Compare first, whatever the timestamp, so the answer takes the same time for every bad request.
  const signed = safeEqual(expected, sign);
  const at = /^\d{10,16}$/.test(ts) ? Number(ts) : NaN;
  if (!Number.isFinite(at) || Math.abs(now - at) > WINDOW_MS) return 'stale or malformed timestamp';
  return signed ? undefined : 'bad sign';
}
