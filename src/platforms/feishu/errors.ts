import { PlatformError } from '../../errors';

/**
 * Feishu answers business errors with HTTP 400 (or 200) and a `code`; rate limits with HTTP 429 / 99991400
 * (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control) and per-chat 400 / 230020
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create). The SDK never retries: we decide here.
 */

/** Codes after which a retry can never succeed: the job fails at once and the duty is marked. */
export const PERMANENT_CODES: Readonly<Record<number, string>> = {
  230001: 'invalid request parameter (e.g. an unknown chat or message)',
  230002: 'the bot is not in the chat (removed)',
  232009: 'the chat was disbanded',
  230034: 'invalid receive_id',
  232006: 'invalid chat_id',
  232011: 'the bot is not in the chat',
  230011: 'the message was recalled',
  230110: 'the message was deleted',
  230031: 'the card is older than 14 days and can no longer be updated',
  230099: 'the card content is invalid',
  230025: 'the message is too long',
  230027: 'no permission',
  230035: 'no permission to send in this chat',
  99991672: 'the app lacks a scope',
  10014: 'the app is not authorised (app id or secret wrong)',
};

export const RATE_LIMIT_APP = 99991400;
export const RATE_LIMIT_CHAT = 230020;
export const TOKEN_CODES = new Set([99991661, 99991663, 99991671]);

export function feishuError(code: number, msg: string, retryAfterMs?: number, cause?: unknown): PlatformError {
  const permanent = code in PERMANENT_CODES;
  const why = PERMANENT_CODES[code] ?? msg;
  // Rate limits say when to come back (x-ogw-ratelimit-reset); a chat's 5/s limit clears within a second.
  const after = retryAfterMs ?? (code === RATE_LIMIT_APP || code === RATE_LIMIT_CHAT ? 1000 : undefined);
  return new PlatformError(permanent, `feishu ${code}: ${why}`, code, after, cause);
}

interface AxiosLikeError {
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  code?: string;
  message?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Turn whatever the SDK threw (AxiosError, timeout, …) into a PlatformError. */
export function classifyThrown(err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  const e: AxiosLikeError = isObject(err) ? (err as AxiosLikeError) : {};
  const status = e.response?.status;
  const data = e.response?.data;
  const code = isObject(data) && typeof data.code === 'number' ? data.code : undefined;
  if (code !== undefined) {
    const reset = Number(e.response?.headers?.['x-ogw-ratelimit-reset']);
    return feishuError(code, isObject(data) && typeof data.msg === 'string' ? data.msg : `HTTP ${status}`, Number.isFinite(reset) ? reset * 1000 : undefined, err);
  }
  if (status === 429) return new PlatformError(false, 'feishu HTTP 429', RATE_LIMIT_APP, 1000, err);
  const message = e.message ?? String(err);
  return new PlatformError(false, `feishu ${status ? `HTTP ${status}` : (e.code ?? 'network error')}: ${message}`, status ?? e.code, undefined, err);
}
