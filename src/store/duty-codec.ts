import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DamagedRecord } from '../errors';
import { dutySchema } from '../domain/record-schemas';
import { chatKey, type Duty } from '../domain/types';
import { keepEach, parseRecord, tryRecord, type DamageReport } from './records';
import type { Keys } from './redis';
import type { StoreConnection } from './redis-cluster';
import { mgetByRecord } from './slot-groups';

/*
 * How a duty is stored: its JSON, with its audience (the member ids expected to answer, 30 or more for most branches:
 * two thirds of the record) kept once per chat and roster rather than in every duty.
 *
 *   P:duty:D                      JSON Duty without `audience`, with `audienceRef` R
 *   P:chat:C:audience:R           JSON array of member ids; R = the first 16 hex digits of its SHA-1
 *
 * The audience record is content-addressed, so it never changes: written with SET NX by whatever writes a duty that
 * names it (the creation script, an update's MULTI), never deleted while duties may name it (kept like every record:
 * no TTL), and cached by this process once read or written. It is in the chat's slot (src/store/keys.ts), as the
 * duty's keys are, so the scripts and MULTIs that write both stay atomic on a cluster. A duty whose audience is open
 * (no roster known: it grows with each answer) or short keeps it inline, as every duty did before (those still read
 * as they are). bench:schedule: a meeting's record went from about 1.6 KB to 0.5 KB.
 */

/** Fewer ids than this stay inline: a reference (16 hex digits and a key) would save little. */
const REF_FROM = 6;
/** Audiences kept in this process's cache (each a few hundred bytes to a few KB), cleared when full. */
const CACHE_SIZE = 20_000;
/** Audience references kept by `refOf`, keyed by the audience JSON; cleared when full. */
const REFS_KEPT = 2_000;

export const audienceRefSchema = z.string().regex(/^[0-9a-f]{16}$/);

/** A duty as stored: `audience` inline, or `audienceRef` naming the chat's audience record. */
const storedDutySchema = dutySchema
  .omit({ audience: true })
  .extend({ audience: z.array(z.string()).optional(), audienceRef: audienceRefSchema.optional() })
  .refine((d) => (d.audience === undefined) !== (d.audienceRef === undefined), 'either audience or audienceRef');
type StoredDuty = z.infer<typeof storedDutySchema>;

const audienceSchema = z.array(z.string());

/** What to write for a duty: its record and, when it names one, its audience record (SET NX beside it). */
export interface EncodedDuty {
  readonly json: string;
  readonly audience?: { readonly key: string; readonly json: string };
}

export class DutyCodec {
  private readonly cache = new Map<string, readonly string[]>();
  private readonly refs = new Map<string, string>();
  private readonly byArray = new WeakMap<readonly string[], { json: string; ref: string }>();

  constructor(
    private readonly redis: StoreConnection,
    private readonly keys: Keys,
    private readonly report: DamageReport,
  ) {}

  /** The key of the audience record `ref` of the duty's chat (in the chat's slot, which is the duty's). */
  private audienceKey(duty: Pick<Duty, 'chat'>, ref: string): string {
    return this.keys.chat(chatKey(duty.chat), 'audience', ref);
  }

  encode(duty: Duty): EncodedDuty {
    if (duty.audienceOpen || duty.audience.length < REF_FROM) return { json: JSON.stringify(duty) };
    const { json: audienceJson, ref } = this.audienceOf(duty.audience);
    const key = this.audienceKey(duty, ref);
    // `audience: undefined` is left out by JSON.stringify: the same JSON as a copy without the field, made cheaper.
    // Object.assign rather than a spread with fields after it: the same JSON, a quarter less time (bench:schedule).
    return { json: JSON.stringify(Object.assign({}, duty, { audience: undefined, audienceRef: ref })), audience: { key, json: audienceJson } };
  }

  /** An audience's JSON and reference, remembered by the array (src/app/new-duty.ts gives a chat's duties one array). */
  private audienceOf(audience: readonly string[]): { json: string; ref: string } {
    let known = this.byArray.get(audience);
    if (!known) {
      const json = JSON.stringify(audience);
      known = { json, ref: this.refOf(json) };
      // Only frozen arrays: one that may change in place would keep a stale JSON.
      if (Object.isFrozen(audience)) this.byArray.set(audience, known);
    }
    return known;
  }

  /** An audience's reference: the first 16 hex digits of the SHA-1 of its JSON, remembered (a campaign's duties share a few). */
  private refOf(audienceJson: string): string {
    const known = this.refs.get(audienceJson);
    if (known) return known;
    const ref = createHash('sha1').update(audienceJson).digest('hex').slice(0, 16);
    if (this.refs.size >= REFS_KEPT) this.refs.clear();
    this.refs.set(audienceJson, ref);
    return ref;
  }

  /** True when this process has read or written the audience record lately (the creation script still checks). */
  knows(key: string): boolean {
    return this.cache.has(key);
  }

  /** Remember an audience record this process wrote or read. */
  remember(key: string, audience: readonly string[]): void {
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(key, audience);
  }

  /** Forget one (the creation script found it missing: a Redis restored or emptied under a running process). */
  forget(key: string): void {
    this.cache.delete(key);
  }

  /** One stored duty; throws DamagedRecord when it, or the audience it names, does not parse or is missing. */
  async decode(raw: string, key: string): Promise<Duty> {
    const stored = parseRecord(storedDutySchema, raw, key);
    if (stored.audience) return this.withAudience(stored, stored.audience);
    const audienceKey = this.audienceKey(stored, stored.audienceRef ?? '');
    const audience = this.cache.get(audienceKey) ?? (await this.read(audienceKey, key));
    if (audience instanceof DamagedRecord) throw audience;
    return this.withAudience(stored, audience);
  }

  /** Many stored duties (null: missing, left out); a damaged one, or one whose audience is damaged, is reported and left out. */
  async decodeMany(keys: readonly string[], raws: readonly (string | null)[]): Promise<Duty[]> {
    const stored = keepEach(storedDutySchema, keys, raws, this.report);
    const refOf = (d: StoredDuty): string => this.audienceKey(d, d.audienceRef ?? '');
    // One duty per audience record not cached yet, by duty id (the records are read in their duties' slots).
    const missing = new Map<string, string>();
    const seen = new Set<string>();
    for (const d of stored) {
      const key = refOf(d);
      if (d.audience || this.cache.has(key) || seen.has(key)) continue;
      seen.add(key);
      missing.set(d.id, key);
    }
    const found = new Map<string, readonly string[] | DamagedRecord>();
    if (missing.size > 0) {
      const ids = [...missing.keys()];
      const raws = await mgetByRecord(this.redis, this.keys, ids, (id) => missing.get(id) ?? '');
      ids.forEach((id, i) => {
        const key = missing.get(id) ?? '';
        const audience = this.parseAudience(raws[i] ?? null, key, this.keys.duty(id));
        found.set(key, audience);
        if (!(audience instanceof DamagedRecord)) this.remember(key, audience);
      });
    }
    const out: Duty[] = [];
    for (const d of stored) {
      const audience = d.audience ?? this.cache.get(refOf(d)) ?? found.get(refOf(d));
      if (audience instanceof DamagedRecord || audience === undefined) {
        this.report(new DamagedRecord(this.keys.duty(d.id), undefined, `its audience ${refOf(d)} is missing or damaged`));
      } else out.push(this.withAudience(d, audience));
    }
    return out;
  }

  private async read(audienceKey: string, dutyKey: string): Promise<readonly string[] | DamagedRecord> {
    const audience = this.parseAudience(await this.redis.get(audienceKey), audienceKey, dutyKey);
    if (!(audience instanceof DamagedRecord)) this.remember(audienceKey, audience);
    return audience;
  }

  private parseAudience(raw: string | null, audienceKey: string, dutyKey: string): readonly string[] | DamagedRecord {
    if (raw === null) return new DamagedRecord(dutyKey, undefined, `its audience ${audienceKey} is missing`);
    return tryRecord(audienceSchema, raw, audienceKey);
  }

  private withAudience(stored: StoredDuty, audience: readonly string[]): Duty {
    const { audienceRef: _ref, audience: _inline, ...rest } = stored;
    return { ...rest, audience };
  }
}
