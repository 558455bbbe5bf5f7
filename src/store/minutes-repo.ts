import type { StoreConnection } from './redis-cluster';
import { DutyCodec } from './duty-codec';
import type { Minutes } from '../domain/minutes';
import { minutesSchema } from '../domain/minutes-schema';
import type { Duty, HistoryEntry } from '../domain/types';
import { DamagedRecord } from '../errors';
import { parseRecord, tryRecord, type DamageReport } from './records';
import type { Keys, TxPool } from './redis';
import { RecordRepo } from './repo-base';
import { mgetByRecord } from './slot-groups';

/*
 * A duty's minutes (纪要), beside the duty's own keys (src/store/duty-repo.ts lists the layout):
 *   P:duty:D:minutes    string  JSON Minutes, the latest; every version is also in P:duty:D:history
 * Writing minutes sets this key, appends the history entry and bumps P:duty:D:rev in one MULTI, watched on the duty
 * and the minutes: a duty cancelled meanwhile or minutes written at the same moment make it read again.
 */

export type MinutesWrite = { readonly ok: true; readonly duty: Duty; readonly minutes: Minutes; readonly replaced: boolean } | { readonly ok: false; readonly reason: string };

export class MinutesRepo extends RecordRepo {
  /** Reads duties as DutyRepo stores them (src/store/duty-codec.ts). */
  private readonly codec = new DutyCodec(this.redis, this.keys, this.report);

  constructor(
    redis: StoreConnection,
    private readonly tx: TxPool,
    prefix: string | Keys,
    report?: DamageReport,
  ) {
    super(redis, prefix, report);
  }

  private dutyKey = (id: string): string => this.keys.duty(id);
  private minutesKey = (id: string): string => this.keys.duty(id, 'minutes');
  private historyKey = (id: string): string => this.keys.duty(id, 'history');
  private revKey = (id: string): string => this.keys.duty(id, 'rev');

  async get(dutyId: string): Promise<Minutes | undefined> {
    const raw = await this.redis.get(this.minutesKey(dutyId));
    return raw ? parseRecord(minutesSchema, raw, this.minutesKey(dutyId)) : undefined;
  }

  /** The minutes of many duties at once (one MGET per slot), keyed by duty id; damaged ones are reported and left out. */
  async getMany(dutyIds: readonly string[]): Promise<Map<string, Minutes>> {
    if (dutyIds.length === 0) return new Map();
    const keys = dutyIds.map((id) => this.minutesKey(id));
    const raws = await mgetByRecord(this.redis, this.keys, dutyIds, this.minutesKey);
    const out = new Map<string, Minutes>();
    dutyIds.forEach((id, i) => {
      const raw = raws[i];
      if (raw === null || raw === undefined) return;
      const record = tryRecord(minutesSchema, raw, keys[i] ?? id);
      if (record instanceof DamagedRecord) this.report(record);
      else out.set(id, record);
    });
    return out;
  }

  /**
   * Store `text` as the duty's minutes, if `judge` (given the duty as it is now) has no refusal: the minutes, the
   * history entry and the revision in one MULTI. The refusal string comes back as `reason`; nothing is written.
   */
  async write(dutyId: string, text: string, by: Minutes['by'], now: number, judge: (duty: Duty) => string | undefined): Promise<MinutesWrite> {
    const dutyKey = this.dutyKey(dutyId);
    const minutesKey = this.minutesKey(dutyId);
    return this.tx.run<MinutesWrite>([dutyKey, minutesKey], async (conn) => {
      const [rawDuty, rawMinutes] = await Promise.all([conn.get(dutyKey), conn.get(minutesKey)]);
      if (!rawDuty) return { abort: { ok: false as const, reason: 'not-found' } };
      const duty = await this.codec.decode(rawDuty, dutyKey);
      const refusal = judge(duty);
      if (refusal !== undefined) return { abort: { ok: false as const, reason: refusal } };
      const minutes: Minutes = { text, by: { id: by.id, name: by.name }, at: now };
      const replaced = rawMinutes !== null;
      const entry: HistoryEntry = { type: 'minutes', at: now, by: by.id, text, replaced };
      return {
        commit: (m) => {
          m.set(minutesKey, JSON.stringify(minutes));
          m.rpush(this.historyKey(dutyId), JSON.stringify(entry));
          m.incr(this.revKey(dutyId));
        },
        result: { ok: true as const, duty, minutes, replaced },
      };
    });
  }
}
