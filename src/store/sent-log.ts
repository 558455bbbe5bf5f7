import type { MessageRef } from '../platforms/port';
import { parseRecord } from './records';
import { messageRefSchema } from './schemas/message-ref';
import { RedisStore } from './repo-base';

/*
 * Key layout (P = key prefix):
 *   P:sent:<jobId>   string JSON MessageRef: the message a job posted. A retried or re-run job finds it and
 *                    does not post again. No TTL: job ids carry the due time, so they are never reused.
 * A record that does not parse throws DamagedRecord (src/errors.ts) with its key rather than reading as absent:
 * absent would post the message a second time. The job fails and is retried, and the error names the key.
 */
export class SentLog extends RedisStore {
  async get(jobId: string): Promise<MessageRef | undefined> {
    const key = this.keys.k('sent', jobId);
    const raw = await this.redis.get(key);
    return raw ? parseRecord(messageRefSchema, raw, key) : undefined;
  }

  async record(jobId: string, ref: MessageRef): Promise<void> {
    await this.redis.set(this.keys.k('sent', jobId), JSON.stringify(ref));
  }
}
