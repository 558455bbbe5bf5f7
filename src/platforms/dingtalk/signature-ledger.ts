import { createHash } from 'node:crypto';
import { WINDOW_MS, type SignaturePair, type SignedRoute } from './verify';

/*
 * DingTalk's HTTP signatures cover the timestamp only, never the body
 * (https://open.dingtalk.com/document/development/receive-message, https://open.dingtalk.com/document/development/event-callback-card):
 * whoever holds one signed pair could put any body under it. So each pair is taken once, for as long as it could
 * pass the one-hour window (both sides of now, plus a minute of clock skew), with the hash of the body it came with.
 */
const TTL_SECONDS = Math.ceil((2 * WINDOW_MS) / 1000) + 60;

/** `first`: take it; `repeat`: the same pair with the same body again (a redelivery); `reused`: another body. */
export type SignatureClaim = 'first' | 'repeat' | 'reused';

/** The pairs taken, kept for every process: a pair's id, with the digest of its body. */
export interface SignatureClaims {
  claim(route: SignedRoute, pairId: string, bodyDigest: string, ttlSeconds: number): Promise<SignatureClaim>;
  release(route: SignedRoute, pairId: string): Promise<void>;
}

const sha256 = (...parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\n');
  return h.digest('hex');
};

const pairId = (pair: SignaturePair): string => sha256(pair.timestamp, pair.sign).slice(0, 40);

export class SignatureLedger {
  constructor(private readonly claims: SignatureClaims) {}

  claim(route: SignedRoute, pair: SignaturePair, body: Buffer): Promise<SignatureClaim> {
    return this.claims.claim(route, pairId(pair), sha256(body), TTL_SECONDS);
  }

  /** The request that took the pair failed before it had any effect: a redelivery may take it again. */
  release(route: SignedRoute, pair: SignaturePair): Promise<void> {
    return this.claims.release(route, pairId(pair));
  }
}
