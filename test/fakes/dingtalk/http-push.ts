import { createHmac } from 'node:crypto';

/**
 * Base64(HmacSHA256(key = appSecret, msg = timestamp + "\n" + appSecret)), as
 * https://open.dingtalk.com/document/development/receive-message describes.
 */
export function signHttp(timestampMs: number, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestampMs}\n${appSecret}`, 'utf8').digest('base64');
}

/**
 * A card callback's signature, sent when the callback route was registered with an apiSecret: headers
 * `x-ddpaas-signature-timestamp` and `x-ddpaas-signature` = Base64(HmacSHA256(key = apiSecret, msg = timestamp))
 * (https://open.dingtalk.com/document/development/event-callback-card, 回调签名验证).
 */
export function signCard(timestampMs: number, apiSecret: string): string {
  return createHmac('sha256', apiSecret).update(String(timestampMs), 'utf8').digest('base64');
}

export interface PushHttpOptions {
  appSecret: string;
  /** ms since epoch; default now. Use now ± >1 h for the stale-timestamp case. */
  timestamp?: number;
  /** 'bad' signs with a wrong secret; 'missing' omits the sign header (timestamp still sent). */
  sign?: 'valid' | 'bad' | 'missing';
}

export interface PushHttpResult {
  status: number;
  json?: unknown;
  text: string;
  ms: number;
}

/** POSTs a robot payload to the bot's HTTP-mode URL the way DingTalk does (headers timestamp + sign). */
export async function pushHttp(url: string, payload: unknown, opts: PushHttpOptions): Promise<PushHttpResult> {
  const timestamp = opts.timestamp ?? Date.now();
  const mode = opts.sign ?? 'valid';
  const headers: Record<string, string> = { timestamp: String(timestamp) };
  if (mode !== 'missing') headers.sign = signHttp(timestamp, mode === 'bad' ? `${opts.appSecret}-wrong` : opts.appSecret);
  return post(url, payload, headers);
}

export interface PushCardOptions {
  /** The apiSecret the callback route was registered with (FakeDingTalk.callbackApiSecret). */
  apiSecret: string;
  /** ms since epoch; default now. */
  timestamp?: number;
}

/** POSTs a card callback to the bot's HTTP callback URL the way DingTalk does (headers x-ddpaas-signature-*). */
export async function pushHttpCard(url: string, payload: unknown, opts: PushCardOptions): Promise<PushHttpResult> {
  const timestamp = opts.timestamp ?? Date.now();
  return post(url, payload, { 'x-ddpaas-signature-timestamp': String(timestamp), 'x-ddpaas-signature': signCard(timestamp, opts.apiSecret) });
}

async function post(url: string, payload: unknown, signature: Record<string, string>): Promise<PushHttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...signature };
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(payload) });
  const text = await res.text();
  const ms = Date.now() - started;
  try {
    return { status: res.status, json: JSON.parse(text) as unknown, text, ms };
  } catch {
    return { status: res.status, text, ms };
  }
}
