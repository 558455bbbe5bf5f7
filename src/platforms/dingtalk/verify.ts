import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests older or newer than this are refused (https://open.dingtalk.com/document/development/receive-message). */
export const WINDOW_MS = 3_600_000;

/**
 * A robot message's own time (`createAt`, "消息的时间戳") may differ this much from the signed `timestamp` header
 * ("消息发送的时间戳"). DingTalk sends a message as it is created, so a real one is within a second; a body written
 * for a signature taken from another request usually is not. Neither page documents a bound: ours is generous.
 */
export const BODY_SKEW_MS = 5 * 60_000;

/** The two HTTP routes and the one signature each takes: robot messages, and card callbacks. */
export type SignedRoute = 'events' | 'card';

/** HTTP-mode robot messages: Base64(HmacSHA256(key = appSecret, msg = timestamp + "\n" + appSecret)). */
export const robotSign = (timestamp: string, appSecret: string): string =>
  createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');

/**
 * HTTP card callbacks registered with an `apiSecret`: headers `x-ddpaas-signature-timestamp` and
 * `x-ddpaas-signature` = Base64(HmacSHA256(key = apiSecret, msg = timestamp))
 * (https://open.dingtalk.com/document/development/event-callback-card, 回调签名验证).
 */
export const cardSign = (timestamp: string, apiSecret: string): string =>
  createHmac('sha256', apiSecret).update(timestamp, 'utf8').digest('base64');

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type Headers = (name: string) => string | undefined;

/** The headers a route's signature travels in: `timestamp`/`sign` for robot messages, `x-ddpaas-*` for cards. */
const HEADER_NAMES: Readonly<Record<SignedRoute, readonly [string, string]>> = {
  events: ['timestamp', 'sign'],
  card: ['x-ddpaas-signature-timestamp', 'x-ddpaas-signature'],
};

export interface SignaturePair {
  readonly timestamp: string;
  readonly sign: string;
}

/** The (timestamp, sign) pair of the route's own signature, when both headers are there. */
export function signaturePair(header: Headers, route: SignedRoute): SignaturePair | undefined {
  const [tsName, signName] = HEADER_NAMES[route];
  const timestamp = header(tsName);
  const sign = header(signName);
  return timestamp !== undefined && sign !== undefined ? { timestamp, sign } : undefined;
}

/**
 * Why a request is refused, or undefined when it carries the route's own signature, valid and fresh. Each route
 * takes one signature only: a robot signature on `/dingtalk/card`, or a card signature on `/dingtalk/events`, is
 * "missing". Neither signature covers the body, so this is only the first check (the receiver adds the others).
 */
export function refusal(header: Headers, secrets: { appSecret: string; apiSecret?: string }, now: number, route: SignedRoute = 'events'): string | undefined {
  const pair = signaturePair(header, route);
  if (!pair) return 'missing timestamp or sign';
  if (route === 'events') return check(pair, robotSign(pair.timestamp, secrets.appSecret), now);
  // Without a registered apiSecret DingTalk signs nothing: nothing can be checked, so nothing is taken.
  if (!secrets.apiSecret) return 'card callbacks are not signed';
  return check(pair, cardSign(pair.timestamp, secrets.apiSecret), now);
}

function check(pair: SignaturePair, expected: string, now: number): string | undefined {
  // Compare first, whatever the timestamp, so the answer takes the same time for every bad request.
  const signed = safeEqual(expected, pair.sign);
  const at = /^\d{10,16}$/.test(pair.timestamp) ? Number(pair.timestamp) : NaN;
  if (!Number.isFinite(at) || Math.abs(now - at) > WINDOW_MS) return 'stale or malformed timestamp';
  return signed ? undefined : 'bad sign';
}

/**
 * Why a robot message's body does not belong with its signature, or undefined: its `createAt` (a number, or a
 * string of digits as the field table types it: https://open.dingtalk.com/document/development/robot-message-type)
 * must be within BODY_SKEW_MS of the signed timestamp.
 */
export function bodyTimeRefusal(createAt: number | undefined, pair: SignaturePair): string | undefined {
  if (createAt === undefined) return 'no createAt in the body';
  return Math.abs(createAt - Number(pair.timestamp)) > BODY_SKEW_MS ? 'createAt far from the signed timestamp' : undefined;
}
