import { randomBytes } from 'node:crypto';
import { encryptForFeishu, feishuSignature } from './crypto';

export interface PushOptions {
  /** When set, the body is `{"encrypt": …}` and signed with this key. */
  encryptKey?: string;
  /** Default 'valid' when encryptKey is set, 'missing' otherwise; 'forged' sends a wrong signature. */
  signature?: 'valid' | 'forged' | 'missing';
  /** Unix seconds; default now. */
  timestamp?: number;
  nonce?: string;
  /** Default 3000 (Feishu's response budget); a timeout rejects with a TimeoutError. */
  timeoutMs?: number;
}

export interface PushResult {
  status: number;
  text: string;
  json?: unknown;
  ms: number;
}

function forge(sig: string): string {
  const first = sig[0] === '0' ? '1' : '0';
  return first + sig.slice(1);
}

/**
 * Pushes an event/callback to the bot as Feishu does
 * (https://open.feishu.cn/document/server-docs/event-subscription-guide/overview): compact JSON, optionally
 * encrypted and signed (see ./crypto.ts).
 */
export async function pushToBot(url: string, obj: unknown, opts: PushOptions = {}): Promise<PushResult> {
  const key = opts.encryptKey ?? '';
  const body = JSON.stringify(key ? { encrypt: encryptForFeishu(obj, key) } : obj);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const mode = opts.signature ?? (key ? 'valid' : 'missing');
  if (mode !== 'missing') {
    const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = opts.nonce ?? randomBytes(8).toString('hex');
    const sig = feishuSignature(ts, nonce, key, body);
    headers['X-Lark-Request-Timestamp'] = ts;
    headers['X-Lark-Request-Nonce'] = nonce;
    headers['X-Lark-Signature'] = mode === 'forged' ? forge(sig) : sig;
  }
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
  });
  const text = await res.text();
  const ms = Date.now() - started;
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return json === undefined ? { status: res.status, text, ms } : { status: res.status, text, json, ms };
}
