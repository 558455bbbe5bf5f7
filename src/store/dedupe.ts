import { RedisStore } from './repo-base';

/*
 * Key layout (P = key prefix):
 *   P:seen:<scope>:<id>   string "1" with a TTL: inbound events already taken (SET NX EX, https://redis.io/docs/latest/commands/set/).
 * The TTL outlives the platforms' retry schedules (Feishu retries for up to 6 hours).
 */
export const DEDUPE_TTL_SECONDS = 24 * 3600;

/** An inbound id to take once, in the same transaction as what it causes (see DutyRepo.answer). */
export interface DedupeClaim {
  readonly key: string;
  readonly ttlSeconds: number;
}

export class Dedupe extends RedisStore {
  /**
   * The key and lifetime that mark an id as taken, for a transaction that takes it together with its effect; with
   * `chatKey`, in that chat's slot on a cluster (the transaction writes the chat's records: src/store/keys.ts).
   */
  claim(scope: string, id: string, chatKey?: string, ttlSeconds = DEDUPE_TTL_SECONDS): DedupeClaim {
    return { key: chatKey === undefined ? this.keys.k('seen', scope, id) : this.keys.inChat(chatKey, 'seen', scope, id), ttlSeconds };
  }

  /** True the first time an id is seen in a scope, false on every repeat. */
  async firstTime(scope: string, id: string, ttlSeconds = DEDUPE_TTL_SECONDS): Promise<boolean> {
    const res = await this.redis.set(this.keys.k('seen', scope, id), '1', 'EX', ttlSeconds, 'NX');
    return res === 'OK';
  }

  /**
   * Like `firstTime`, but the same `owner` (a queue job id) may take the id again: a job retried after a failure
   * half-way (Redis lost mid-command) is not mistaken for a repeated delivery.
   */
  async takeFor(scope: string, id: string, owner: string, ttlSeconds = DEDUPE_TTL_SECONDS): Promise<boolean> {
    const key = this.keys.k('seen', scope, id);
    if ((await this.redis.set(key, owner, 'EX', ttlSeconds, 'NX')) === 'OK') return true;
    return (await this.redis.get(key)) === owner;
  }

  /** Forget an id, so a delivery that failed half-way is taken again on the platform's retry. */
  async forget(scope: string, id: string): Promise<void> {
    await this.redis.del(this.keys.k('seen', scope, id));
  }
}
