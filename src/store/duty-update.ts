import type { Duty, HistoryEntry } from '../domain/types';
import { chatKey } from '../domain/types';
import type { DutyCodec } from './duty-codec';
import type { DutyUpdate } from './duty-writes';
import type { Keys, TxPool } from './redis';
import type { StoreConnection } from './redis-cluster';

/** What an update does to a duty: the new duty and its history entry, or a refusal string (nothing is written). */
export type DutyChange = (duty: Duty) => { duty: Duty; entry: HistoryEntry } | string;

interface UpdateStore {
  readonly redis: StoreConnection;
  readonly tx: TxPool;
  readonly keys: Keys;
  readonly codec: DutyCodec;
}

/**
 * Change a duty atomically. `change` gets the current duty and returns the new one with its history entry,
 * or a refusal string that aborts with nothing written.
 */
export async function updateDuty(store: UpdateStore, id: string, change: DutyChange): Promise<DutyUpdate> {
  const { redis, tx, keys, codec } = store;
  const result = await tx.run<DutyUpdate>([keys.duty(id)], async (conn) => {
    const raw = await conn.get(keys.duty(id));
    if (!raw) return { abort: { ok: false as const, reason: 'not-found' } };
    const previous = await codec.decode(raw, keys.duty(id));
    const next = change(previous);
    if (typeof next === 'string') return { abort: { ok: false as const, reason: next } };
    const duty = next.duty;
    return {
      commit: (m) => {
        const encoded = codec.encode(duty);
        if (encoded.audience) m.set(encoded.audience.key, encoded.audience.json, 'NX');
        m.set(keys.duty(id), encoded.json);
        m.zadd(keys.chat(chatKey(duty.chat), 'all'), String(duty.at), id);
        // On one Redis the global index changes in the same MULTI; on a cluster (another slot) right after.
        const opens = keys.spreads ? [keys.chat(chatKey(duty.chat), 'open')] : [keys.chat(chatKey(duty.chat), 'open'), keys.k('duties', 'open')];
        for (const key of opens) {
          if (duty.state === 'scheduled') m.zadd(key, String(duty.at), id);
          else m.zrem(key, id);
        }
        m.rpush(keys.duty(id, 'history'), JSON.stringify(next.entry));
        m.incr(keys.duty(id, 'rev'));
      },
      result: { ok: true as const, duty, previous },
    };
  });
  // On a cluster the global index after the chat's atomic step; a crash in between is repaired at start.
  if (result.ok && keys.spreads && result.duty.state === 'scheduled') await redis.zadd(keys.k('duties', 'open'), String(result.duty.at), id);
  else if (result.ok && keys.spreads) await redis.zrem(keys.k('duties', 'open'), id);
  return result;
}
