import { z } from 'zod';

/**
 * The backup file (`luoshi export`, `luoshi import`): JSON lines, UTF-8.
 *   line 1   BackupHeader: format, version, the prefix it was taken from, when, what Redis wrote the payloads, counts
 *   line 2…  BackupRecord: one Redis key under the prefix, in Redis's own DUMP format (binary-safe: every type,
 *            encoding and value kept), base64, with its absolute expiry if it had one.
 * Keys are stored relative to the prefix (`duty:abc`, not `luoshi:duty:abc`), so a file restores under any prefix.
 * DUMP/RESTORE: https://redis.io/docs/latest/commands/dump/ — the payload carries an RDB version, and RESTORE
 * refuses a payload from a newer Redis than its own (restore into the same or a newer Redis).
 */
export const BACKUP_FORMAT = 'luoshi-backup';
export const BACKUP_VERSION = 1;

export const backupHeaderSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  prefix: z.string().min(1),
  /** The moment the records were read, ISO 8601 UTC (Redis's own clock) and epoch ms. */
  at: z.string(),
  atMs: z.number().int().nonnegative(),
  redisVersion: z.string(),
  /** How the moment was held (see README "Backup and restore"). */
  consistency: z.literal('client-pause-write'),
  counts: z.strictObject({
    keys: z.number().int().nonnegative(),
    /** Keys by Redis type (string, hash, list, set, zset, stream). */
    byType: z.record(z.string(), z.number().int().nonnegative()),
    /** Keys by their first segment after the prefix (duty, chat, series, campaign, units, …). */
    byKind: z.record(z.string(), z.number().int().nonnegative()),
  }),
  /** The key patterns (relative to the prefix) left out, with why: see EXCLUDED. */
  excluded: z.array(z.string()),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

export const backupRecordSchema = z.strictObject({
  /** The key relative to the prefix. */
  k: z.string().min(1),
  /** Its Redis type (informational: RESTORE takes it from the payload). */
  t: z.string().min(1),
  /** Absolute expiry in epoch ms, or null for a key without a TTL. */
  x: z.number().int().positive().nullable(),
  /** The DUMP payload, base64. */
  d: z.base64().min(1),
});
export type BackupRecord = z.infer<typeof backupRecordSchema>;

/**
 * What is never exported, relative to the prefix, and why. Everything else under the prefix is, whatever record
 * types are added later.
 */
export const EXCLUDED: readonly { readonly pattern: RegExp; readonly shown: string; readonly why: string }[] = [
  {
    pattern: /^bull:/,
    shown: 'bull:*',
    why: 'BullMQ queues (src/queue/queues.ts bullPrefix): reminders, card refreshes, series schedulers are derived from the records and planned again when the bot starts',
  },
  { pattern: /^pace:/, shown: 'pace:*', why: 'outbound rate pacing: the next free send slot, meaningful for seconds only' },
  {
    pattern: /^duty:[^:]+:refresh$/,
    shown: 'duty:*:refresh',
    why: 'a card refresh is queued: the queued job is not exported, so the flag would hold back the next refresh',
  },
  {
    pattern: /^duty:[^:]+:summary$/,
    shown: 'duty:*:summary',
    why: "the 通报's summary of a duty (src/store/duty-summary-repo.ts), derived from its records and computed again after a restore: one read while the records change could pair it with a revision whose records differ",
  },
  { pattern: /^dingtalk:answering:/, shown: 'dingtalk:answering:*', why: 'card callbacks in flight right now (a few seconds)' },
  {
    pattern: /^dingtalk:tally:.*:window$/,
    shown: 'dingtalk:tally:*:window',
    why: 'the current tally interval, paired with a queued tally job that is not exported',
  },
];

export const isExcluded = (relativeKey: string): boolean => EXCLUDED.some((e) => e.pattern.test(relativeKey));

/** A SCAN MATCH pattern for every key under `prefix` (glob characters in the prefix escaped). */
export const prefixPattern = (prefix: string): string => `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}:*`;
