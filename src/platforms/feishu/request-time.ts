/*
 * How old a signed Feishu request may be.
 *
 * Feishu signs every push with `X-Lark-Signature = sha256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce +
 * encrypt_key + body)` when an Encrypt Key is set
 * (https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 * The timestamp is signed, so a replay carries the time it was first signed: an old one can be refused.
 *
 * A push that is not answered with 200 within 3 s is pushed again "以 15秒、5分钟、1小时、6小时 的间隔 … 最多重试 4 次",
 * "事件重发的最长时间窗口约为 7.1 小时" (https://open.feishu.cn/document/server-docs/event-subscription-guide/overview).
 * Neither that page, the event-subscription pages above nor the SDKs (larksuite/node-sdk
 * dispatcher/request-handle.ts `checkIsEventValidated` checks the signature only, never the time) say whether a
 * redelivery is signed again with a fresh timestamp. So we must assume it may keep the first one: a window shorter
 * than 7.1 hours could refuse Feishu's own last retries (a lost command or click). The window is therefore 8 hours
 * (15 s + 5 min + 1 h + 6 h plus four 3-second timeouts is 7 h 5 min 27 s; the rest is margin for clock skew and
 * queueing at Feishu), and 5 minutes into the future for skew.
 *
 * Inside the window a replay is stopped by the event's id, taken once for DEDUPE_TTL_SECONDS (dedupe.ts among
 * the Redis repositories in src/store, 24 h: it must outlast the window, test/security/feishu-replay.test.ts checks it), and an answer by its action time (an action older than the member's current answer never
 * changes it: src/domain/answers.ts). Beyond the window it is refused here, before decryption.
 */
export const MAX_REQUEST_AGE_MS = 8 * 3600 * 1000;
export const MAX_REQUEST_AHEAD_MS = 5 * 60 * 1000;

/** Unix seconds, as Feishu writes them: digits only, and not absurdly long. */
const SECONDS = /^\d{1,12}$/;

/** Whether the signed `X-Lark-Request-Timestamp` (unix seconds) is plausible at `now` (ms). */
export function plausibleRequestTime(timestamp: string, now: number): boolean {
  if (!SECONDS.test(timestamp)) return false;
  const at = Number(timestamp) * 1000;
  return at >= now - MAX_REQUEST_AGE_MS && at <= now + MAX_REQUEST_AHEAD_MS;
}

/**
 * When the member acted, as Feishu says (epoch ms): a message's `create_time` (ms), a card callback header's
 * `create_time` (µs) (https://open.feishu.cn/document/feishu-cards/card-callback-communication). Inside the signed
 * (or socket-authenticated) body, and the same in every redelivery. Undefined when absent or not a plain number.
 */
export function platformTime(value: unknown, unit: 'ms' | 'us'): number | undefined {
  if (typeof value !== 'string' || !/^\d{10,19}$/.test(value)) return undefined;
  const n = Number(value);
  return unit === 'us' ? n / 1000 : n;
}
