import type { z } from 'zod';
import { DamagedRecord } from '../errors';
import type { Logger } from '../logger';

/*
 * Every record read back from Redis is parsed with its zod schema here, never cast: a record written by an older
 * version or damaged by hand is reported with its key and never used in part. Two ways, chosen per call site:
 *   - a single read (`parseRecord`) throws DamagedRecord, a coded error (src/errors.ts) carrying the key, which the
 *     dispatcher and the workers log through the one error funnel;
 *   - a list (`keepParsed`) leaves the damaged record out and reports it to a DamageReport with its key, so the
 *     good records around it are still served.
 */

/** Where a list hands each record it left out. */
export type DamageReport = (damage: DamagedRecord) => void;

/**
 * The report of a store built without one (tests, tools): a Node process warning naming the key
 * (https://nodejs.org/api/process.html#processemitwarningwarning-options), so a damaged record is never passed over
 * in silence. The composition root passes `logDamaged(log)` instead.
 */
export const warnDamaged: DamageReport = (damage) => process.emitWarning(damage.message, { code: damage.code });

/** A DamageReport that logs a warning with the record's key and field. */
export const logDamaged =
  (log: Logger): DamageReport =>
  (damage) =>
    log.warn({ key: damage.key, field: damage.field, err: damage.message }, 'damaged record left out');

/** The record in `raw` (JSON), parsed with `schema`; a DamagedRecord (returned, not thrown) when it does not parse. */
export function tryRecord<T>(schema: z.ZodType<T>, raw: string, key: string, field?: string): T | DamagedRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return new DamagedRecord(key, field, 'not JSON', err);
  }
  return checked(schema, value, key, field);
}

/** An already decoded value checked with `schema` (a record that came inside a larger JSON reply). */
export function checked<T>(schema: z.ZodType<T>, value: unknown, key: string, field?: string): T | DamagedRecord {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : new DamagedRecord(key, field, describe(parsed.error));
}

/** A single read: the record, or DamagedRecord thrown. */
export function parseRecord<T>(schema: z.ZodType<T>, raw: string, key: string, field?: string): T {
  const record = tryRecord(schema, raw, key, field);
  if (record instanceof DamagedRecord) throw record;
  return record;
}

/**
 * A list kept under one key (a hash's fields, a list's entries): the records that parse, in order; each damaged one
 * is reported with the key and its field (hash field, or list index) and left out.
 */
export function keepParsed<T>(schema: z.ZodType<T>, key: string, entries: Iterable<readonly [field: string, raw: string]>, report: DamageReport): T[] {
  return [...keepFields(schema, key, entries, report).values()];
}

/** `keepParsed` keyed by field: a hash of records (answers by member id). */
export function keepFields<T>(schema: z.ZodType<T>, key: string, entries: Iterable<readonly [field: string, raw: string]>, report: DamageReport): Map<string, T> {
  const out = new Map<string, T>();
  for (const [field, raw] of entries) {
    const record = tryRecord(schema, raw, key, field);
    if (record instanceof DamagedRecord) report(record);
    else out.set(field, record);
  }
  return out;
}

/**
 * `keepFields` over a hash that came back as one JSON object (field -> record), as a script joins it
 * (src/store/duty-scripts.ts READ_ANSWER_STATE). Undefined when the object itself does not parse (a damaged field
 * can break it): the caller then reads the hash field by field.
 */
export function keepJoinedFields<T>(schema: z.ZodType<T>, key: string, joined: string, report: DamageReport): Map<string, T> | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(joined);
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const out = new Map<string, T>();
  for (const [field, value] of Object.entries(fields)) {
    const record = checked(schema, value, key, field);
    if (record instanceof DamagedRecord) report(record);
    else out.set(field, record);
  }
  return out;
}

/** The entries of a list reply, numbered as LRANGE from 0 numbers them (the field of a damaged one is its index). */
export const indexed = (raws: readonly string[]): (readonly [string, string])[] => raws.map((raw, i) => [String(i), raw]);

/**
 * Records kept one per key, read together (MGET): those that parse, in order; a missing one (null) is skipped, a
 * damaged one reported with its key and left out.
 */
export function keepEach<T>(schema: z.ZodType<T>, keys: readonly string[], raws: readonly (string | null)[], report: DamageReport): T[] {
  const out: T[] = [];
  raws.forEach((raw, i) => {
    if (raw === null) return;
    const record = tryRecord(schema, raw, keys[i] ?? '?');
    if (record instanceof DamagedRecord) report(record);
    else out.push(record);
  });
  return out;
}

/** The first few issues, by path: enough to find the damage, without the record's content. */
function describe(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`);
  return issues.join('; ') + (error.issues.length > 3 ? `; … ${error.issues.length - 3} more` : '');
}
