import { isCluster } from '../redis-cluster';
import { backupHeaderSchema, backupRecordSchema, type BackupHeader, type BackupRecord } from './backup-format';
import { chatOfIndex, LEGACY_BUCKETS, legacyBuckets, type RecordSpace } from './record-space';

const BATCH = 500;

/** A file that is not a backup this version can read: the line (1-based) and what is wrong, in Chinese. */
export class BadBackupError extends Error {
  constructor(readonly line: number, readonly problem: string) {
    super(`第${line}行：${problem}`);
    this.name = 'BadBackupError';
  }
}

export interface ParsedBackup {
  readonly header: BackupHeader;
  readonly records: readonly BackupRecord[];
}

function parseLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadBackupError(line, '不是 JSON');
  }
}

/** Every line checked before anything is written: a bad file changes nothing. */
export function parseBackup(text: string): ParsedBackup {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new BadBackupError(1, '文件是空的');
  const head = backupHeaderSchema.safeParse(parseLine(lines[0] ?? '', 1));
  if (!head.success) {
    throw new BadBackupError(1, `不是落实的备份文件头（要 format "luoshi-backup"、version 1）：${head.error.issues[0]?.message ?? ''}`);
  }
  const records: BackupRecord[] = [];
  const keys = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const record = backupRecordSchema.safeParse(parseLine(lines[i] ?? '', i + 1));
    if (!record.success) {
      const issue = record.error.issues[0];
      throw new BadBackupError(i + 1, `记录格式不对（${issue?.path.join('.') ?? ''}：${issue?.message ?? ''}）`);
    }
    if (keys.has(record.data.k)) throw new BadBackupError(i + 1, `键「${record.data.k}」出现了两次`);
    keys.add(record.data.k);
    records.push(record.data);
  }
  if (records.length !== head.data.counts.keys) {
    throw new BadBackupError(lines.length, `文件头说有 ${head.data.counts.keys} 条记录，实际 ${records.length} 条：文件不完整`);
  }
  return { header: head.data, records };
}

/** Every key under the prefix, records and queues alike, on every node. */
export async function keysUnder(space: RecordSpace): Promise<string[]> {
  const found = new Set<string>();
  for (const node of space.nodes) {
    for (const pattern of space.keys.patterns()) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        keys.filter((k) => space.keys.relative(k) !== undefined).forEach((k) => found.add(k));
      } while (cursor !== '0');
    }
  }
  return [...found];
}

/** Remove every key under the prefix (records and queues alike), in batches (a key at a time on a cluster: slots differ). */
export async function clearPrefix(space: RecordSpace): Promise<number> {
  const keys = await keysUnder(space);
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    if (isCluster(space.conn)) await Promise.all(batch.map((k) => space.conn.unlink(k)));
    else await space.conn.unlink(...batch);
  }
  return keys.length;
}

/**
 * RESTORE every record under the prefix (https://redis.io/docs/latest/commands/restore/), each at the name the bot
 * gives it (src/store/keys.ts `place`: on a cluster, in its chat's slot), its expiry as the absolute time it had
 * (ABSTTL); a key whose expiry has passed since the export is left out, as Redis would have dropped it.
 * On a cluster, the chats' indexes go first: a duty or series whose id does not start with its chat's bucket (made
 * before ids carried it) is written to the legacy-bucket hash, which the bot loads at start, and its keys are placed
 * in its chat's slot with it. Returns how many keys were written, how many had expired, and how many legacy ids.
 */
export async function restoreRecords(space: RecordSpace, records: readonly BackupRecord[], now: number): Promise<{ restored: number; expired: number; legacy: number }> {
  const live = records.filter((r) => (r.x === null || r.x > now) && !(space.keys.spreads && r.k === LEGACY_BUCKETS));
  const indexes = new Set(space.keys.spreads ? live.filter((r) => chatOfIndex(r.k) !== undefined) : []);
  await restore(space, [...indexes]);
  const legacy = await legacyBuckets(space, [...new Set([...indexes].flatMap((r) => chatOfIndex(r.k) ?? []))]);
  if (legacy.size > 0) {
    await space.conn.hset(space.keys.k(LEGACY_BUCKETS), ...[...legacy].flat());
    space.keys.useLegacyBuckets(legacy);
  }
  await restore(space, live.filter((r) => !indexes.has(r)));
  return { restored: live.length, expired: records.length - live.length, legacy: legacy.size };
}

async function restore(space: RecordSpace, records: readonly BackupRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) {
    await Promise.all(
      records.slice(i, i + BATCH).map((r) => {
        const ttl = r.x === null ? '0' : String(r.x);
        return space.conn.call('RESTORE', space.keys.place(r.k), ttl, Buffer.from(r.d, 'base64'), 'REPLACE', ...(r.x === null ? [] : ['ABSTTL']));
      }),
    );
  }
}
