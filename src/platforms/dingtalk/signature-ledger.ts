import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Keys } from '../../store/redis';
import { WINDOW_MS, type SignaturePair, type SignedRoute } from './verify';

/*
 * DingTalk's HTTP signatures cover the timestamp only, never the body
 * (https://open.dingtalk.com/document/development/receive-message, https://open.dingtalk.com/document/development/event-callback-card):
 * whoever holds one signed pair could put any body under it. So each pair is taken once, for as long as it could
 * pass the one-hour window, with the hash of the body it came with:
 *   P:dingtalk:sig:<route>:<sha256(timestamp, sign)>   string sha256(body)   EX 2 h + 1 min (the pair's window both
 *                                                                            sides of now, and some clock skew)
 */
const TTL_SECONDS = Math.ceil((2 * WINDOW_MS) / 1000) + 60;

/** `first`: take it; `repeat`: the same pair with the same body again (a redelivery); `reused`: another body. */
export type SignatureClaim = 'first' | 'repeat' | 'reused';

const sha256 = (...parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\n');
  return h.digest('hex');
};

export class SignatureLedger {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private key(route: SignedRoute, pair: SignaturePair): string {
    return this.keys.k('dingtalk', 'sig', route, sha256(pair.timestamp, pair.sign).slice(0, 40));
  }

  async claim(route: SignedRoute, pair: SignaturePair, body: Buffer): Promise<SignatureClaim> {
    const key = this.key(route, pair);
    const hash = sha256(body);
    if ((await this.redis.set(key, hash, 'EX', TTL_SECONDS, 'NX')) === 'OK') return 'first';
    return (await this.redis.get(key)) === hash ? 'repeat' : 'reused';
  }

  /** The request that took the pair failed before it had any effect: a redelivery may take it again. */
  async release(route: SignedRoute, pair: SignaturePair): Promise<void> {
    await this.redis.del(this.key(route, pair));
  }
}
