import { runScript } from './run-script';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { unitLevelSchema, unitNameSchema, unitSchema, type Unit, type UnitLevel } from '../domain/units';
import { DamagedRecord } from '../errors';
import { indexed, keepParsed, parseRecord, tryRecord } from './records';
import { RecordRepo } from './repo-base';

/*
 * The units tree (issue 15), kept whole: it is small (hundreds of units) and every change is checked against all of it.
 * Key layout (P = key prefix):
 *   P:units             string  JSON { version, units: Unit[], source? } — the whole tree
 *   P:units:version     string  a counter bumped by every write (compare-and-set: a write made on an older read fails)
 *   P:units:history     list    JSON { at, by, what } for every change (who registered or imported what)
 *   P:unit-pending:ID   string  JSON PendingUnit, expires after PENDING_TTL_SECONDS (the parent-choice card)
 * A write is one Lua script (WRITE_UNITS): the version checked, the tree replaced and the history appended together.
 * The tree is parsed with zod when read; a damaged one throws DamagedRecord with its key (never half used).
 */

export const PENDING_TTL_SECONDS = 30 * 60;

const treeSchema = z.object({ units: z.array(unitSchema), source: z.string().optional() });

export const unitChangeSchema = z.object({ at: z.number(), by: z.string(), what: z.string() });
export type UnitChange = z.infer<typeof unitChangeSchema>;

export const pendingUnitSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{6,32}$/),
  chat: z.string(),
  name: unitNameSchema,
  level: unitLevelSchema,
  by: z.string(),
});
export type PendingUnit = z.infer<typeof pendingUnitSchema> & { readonly level: UnitLevel };

export interface UnitTree {
  readonly version: number;
  readonly units: readonly Unit[];
  /** The digest of the org file last imported (the import at start skips a file already applied). */
  readonly source?: string;
}

/** KEYS: tree, version, history. ARGV: expected version, tree JSON, change JSON. 1 written, 0 stale read. */
const WRITE_UNITS = `
local v = tonumber(redis.call('GET', KEYS[2]) or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], tostring(v + 1))
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('LTRIM', KEYS[3], -1000, -1)
return 1
`;

export class UnitRepo extends RecordRepo {
  async read(): Promise<UnitTree> {
    const [raw, version] = await this.redis.mget(this.keys.family('units', 'units'), this.keys.family('units', 'units', 'version'));
    const v = Number(version ?? '0');
    if (raw === null || raw === undefined) return { version: v, units: [] };
    const tree = parseRecord(treeSchema, raw, this.keys.family('units', 'units'));
    return { version: v, units: tree.units, ...(tree.source ? { source: tree.source } : {}) };
  }

  /** Replace the tree if nobody wrote since `version` was read; false when someone did (read again and retry). */
  async write(version: number, units: readonly Unit[], change: UnitChange, source?: string): Promise<boolean> {
    const tree = JSON.stringify({ units, ...(source ? { source } : {}) });
    const done = await runScript(this.redis, WRITE_UNITS, 3, this.keys.family('units', 'units'), this.keys.family('units', 'units', 'version'), this.keys.family('units', 'units', 'history'), String(version), tree, JSON.stringify(change));
    return done === 1;
  }

  /** Every change, oldest first (a damaged entry is left out and reported). */
  async history(): Promise<UnitChange[]> {
    const key = this.keys.family('units', 'units', 'history');
    return keepParsed(unitChangeSchema, key, indexed(await this.redis.lrange(key, '0', '-1')), this.report);
  }

  static newPendingId(): string {
    return randomBytes(6).toString('hex');
  }

  async savePending(pending: PendingUnit): Promise<void> {
    await this.redis.set(this.keys.k('unit-pending', pending.id), JSON.stringify(pending), 'EX', PENDING_TTL_SECONDS);
  }

  /** The pending registration, removed in the same step (a second click finds none); undefined when gone. */
  async takePending(id: string): Promise<PendingUnit | undefined> {
    const key = this.keys.k('unit-pending', id);
    const raw = await this.redis.getdel(key);
    if (raw === null) return undefined;
    const pending = tryRecord(pendingUnitSchema, raw, key);
    if (pending instanceof DamagedRecord) {
      this.report(pending);
      return undefined;
    }
    return pending;
  }

  /** The pending registration, left in place (the click checks who may choose before taking it). */
  async peekPending(id: string): Promise<PendingUnit | undefined> {
    const key = this.keys.k('unit-pending', id);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const pending = tryRecord(pendingUnitSchema, raw, key);
    return pending instanceof DamagedRecord ? undefined : pending;
  }
}
