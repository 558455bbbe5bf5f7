import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type * as lark from '@larksuiteoapi/node-sdk';
import { bodyToken } from './decode';
import { plausibleRequestTime } from './request-time';

export interface RequestKeys {
  readonly encryptKey?: string;
  readonly verificationToken?: string;
  /** Built once from the encrypt key. */
  readonly cipher?: lark.AESCipher;
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Feishu's event signature: hex(sha256(timestamp + nonce + encryptKey + body))
 * (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case). */
export const feishuSignature = (timestamp: string, nonce: string, encryptKey: string, body: Buffer | string): string =>
  createHash('sha256').update(timestamp + nonce + encryptKey).update(body).digest('hex');

export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What the caller is told: for authentication failures one uniform answer, whatever the reason. */
    readonly answer: Record<string, string> = { error: message },
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The one answer to every request that fails authentication (the reason goes to the log only). */
export const UNAUTHORIZED = { error: 'unauthorized' } as const;
const refuse = (reason: string, detail?: Record<string, unknown>): Refusal => new Refusal(401, reason, { ...UNAUTHORIZED }, detail);

/** The URL-verification handshake is about 200 bytes encrypted; an unsigned body larger than this is not one. */
const HANDSHAKE_MAX_BYTES = 1024;

/**
 * Signature and time first, then decryption, then the verification token. Throws Refusal.
 *
 * With FEISHU_ENCRYPT_KEY set Feishu signs every push, so every request must carry all three signature headers,
 * a valid signature and a plausible time (request-time.ts), all checked before the body is even parsed. The one
 * exception is the URL-verification handshake, which Feishu sends unsigned (the docs' 安全校验 excludes it; the SDKs
 * decrypt it before any check: larksuite/node-sdk adaptor/services/challenge.ts): an unsigned body is decrypted only
 * when it is small enough to be that handshake, and only a handshake with the right token is answered. Every
 * authentication failure, whatever its cause (missing or partial headers, bad signature, old timestamp, bad
 * ciphertext, not a handshake, wrong token), gets the same answer (UNAUTHORIZED), so nothing can be learnt from it
 * (no padding oracle).
 *
 * Without an encrypt key Feishu neither encrypts nor signs (send-notifications-to-developers-server): the
 * verification token in the body is then the only check, and replays are stopped by event ids alone (a warning is
 * logged at start; README, security model).
 */
/** `now` is the bot's clock (ms), for the signed timestamp. */
export function openRequest(raw: Buffer, headers: IncomingHttpHeaders, o: RequestKeys, now: number): Record<string, unknown> {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const timestamp = header('x-lark-request-timestamp');
  const nonce = header('x-lark-request-nonce');
  const signature = header('x-lark-signature');
  const key = o.encryptKey;
  let unsignedHandshake = false;
  if (key) {
    if (timestamp !== undefined && nonce !== undefined && signature !== undefined) {
      if (!safeEqual(feishuSignature(timestamp, nonce, key, raw), signature.toLowerCase())) throw refuse('bad signature');
      if (!plausibleRequestTime(timestamp, now)) throw refuse('implausible request timestamp', { timestamp });
    } else if (timestamp !== undefined || nonce !== undefined || signature !== undefined) {
      throw refuse('partial signature headers');
    } else if (raw.length > HANDSHAKE_MAX_BYTES) {
      throw refuse('unsigned request');
    } else {
      unsignedHandshake = true;
    }
  }
  let outer: unknown;
  try {
    outer = JSON.parse(raw.toString('utf8'));
  } catch {
    if (unsignedHandshake) throw refuse('unsigned request');
    throw new Refusal(400, 'malformed JSON');
  }
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) {
    if (unsignedHandshake) throw refuse('unsigned request');
    throw new Refusal(400, 'not a JSON object');
  }
  let plain = outer as Record<string, unknown>;
  if (typeof plain.encrypt === 'string') {
    if (!o.cipher) throw new Refusal(400, 'encrypted body but no FEISHU_ENCRYPT_KEY');
    try {
      plain = { ...(JSON.parse(o.cipher.decrypt(plain.encrypt)) as Record<string, unknown>) };
    } catch {
      throw refuse('cannot decrypt');
    }
  }
  if (unsignedHandshake && !isChallenge(plain)) throw refuse('unsigned request');
  const token = bodyToken(plain);
  if (o.verificationToken && (token === undefined || !safeEqual(token, o.verificationToken))) {
    throw refuse('bad verification token');
  }
  return plain;
}

export function isChallenge(body: Record<string, unknown>): body is { challenge: string; type: 'url_verification' } {
  return body.type === 'url_verification' && typeof body.challenge === 'string';
}
