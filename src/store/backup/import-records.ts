import type { StoreConnection } from '../redis-cluster';
import { execPipeline } from '../redis';
import { backupHeaderSchema, backupRecordSchema, prefixPattern, type BackupHeader, type BackupRecord } from './backup-format';

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

/** Every key under `prefix`, records and queues alike. */
export async function keysUnder(redis: StoreConnection, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', prefixPattern(prefix), 'COUNT', 1000);
    cursor = next;
    keys.filter((k) => k.startsWith(`${prefix}:`)).forEach((k) => found.add(k));
  } while (cursor !== '0');
  return [...found];
}

/** Remove every key under `prefix` (records and queues alike), in batches. */
export async function clearPrefix(redis: StoreConnection, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += BATCH) await redis.unlink(...keys.slice(i, i + BATCH));
  return keys.length;
}

/**
 * RESTORE every record under `prefix` (https://redis.io/docs/latest/commands/restore/), its expiry as the absolute
 * time it had (ABSTTL); a key whose expiry has passed since the export is left out, as Redis would have dropped it.
 * Returns how many keys were written and how many had expired.
 */
export async function restoreRecords(redis: StoreConnection, prefix: string, records: readonly BackupRecord[], now: number): Promise<{ restored: number; expired: number }> {
  const live = records.filter((r) => r.x === null || r.x > now);
  for (let i = 0; i < live.length; i += BATCH) {
    const pipeline = redis.pipeline();
    for (const r of live.slice(i, i + BATCH)) {
      const ttl = r.x === null ? '0' : String(r.x);
      const args = [`${prefix}:${r.k}`, ttl, Buffer.from(r.d, 'base64'), 'REPLACE', ...(r.x === null ? [] : ['ABSTTL'])];
      pipeline.call('RESTORE', ...args);
    }
    await execPipeline(pipeline);
  }
  return { restored: live.length, expired: records.length - live.length };
}
