import { randomBytes } from 'node:crypto';
import type { StoreConnection } from '../../store/redis-cluster';
import { Keys } from '../../store/redis';

/*
 * Key layout (P = key prefix). No TTL:
 *   P:reports:signing-key   string  hex of 32 random bytes: the HMAC key of report links when REPORT_SIGNING_KEY
 *                                   is unset. Written once with SET NX, so every process signs with the same key.
 */

/** The key that signs report links: REPORT_SIGNING_KEY, or a random key made once and shared through Redis. */
export class SigningKeySource {
  private readonly key: string;
  private pending?: Promise<Buffer>;

  constructor(
    private readonly redis: StoreConnection,
    prefix: string,
    private readonly configured?: string,
  ) {
    this.key = new Keys(prefix).k('reports', 'signing-key');
  }

  get(): Promise<Buffer> {
    if (!this.pending) {
      this.pending = this.load();
      // A failed read (Redis away) is tried again on the next request.
      this.pending.catch(() => (this.pending = undefined));
    }
    return this.pending;
  }

  private async load(): Promise<Buffer> {
    if (this.configured) return Buffer.from(this.configured, 'utf8');
    await this.redis.set(this.key, randomBytes(32).toString('hex'), 'NX');
    const stored = await this.redis.get(this.key);
    if (!stored || !/^[0-9a-f]{64}$/.test(stored)) throw new Error(`report signing key ${this.key} is missing or malformed`);
    return Buffer.from(stored, 'hex');
  }
}
