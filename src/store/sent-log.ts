import type { Redis } from 'ioredis';
import type { MessageRef } from '../platforms/port';
import { Keys } from './redis';

/*
 * Key layout (P = key prefix):
 *   P:sent:<jobId>   string JSON MessageRef: the message a job posted. A retried or re-run job finds it and
 *                    does not post again. No TTL: job ids carry the due time, so they are never reused.
 */
export class SentLog {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  async get(jobId: string): Promise<MessageRef | undefined> {
    const raw = await this.redis.get(this.keys.k('sent', jobId));
    return raw ? (JSON.parse(raw) as MessageRef) : undefined;
  }

  async record(jobId: string, ref: MessageRef): Promise<void> {
    await this.redis.set(this.keys.k('sent', jobId), JSON.stringify(ref));
  }
}
