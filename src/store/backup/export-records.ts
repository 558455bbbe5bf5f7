import type { Redis } from 'ioredis';
import { execPipeline } from '../redis';
import { BACKUP_FORMAT, BACKUP_VERSION, EXCLUDED, isExcluded, type BackupHeader, type BackupRecord } from './backup-format';
import type { RecordSpace } from './record-space';

/** Keys asked per SCAN step and read per pipeline. */
const BATCH = 500;

export class PauseTooShortError extends Error {
  constructor(readonly elapsedMs: number, readonly maxPauseMs: number) {
    super(`reading took ${elapsedMs} ms, longer than the ${maxPauseMs} ms writes were paused`);
    this.name = 'PauseTooShortError';
  }
}

export interface Snapshot {
  readonly header: BackupHeader;
  readonly records: readonly BackupRecord[];
}

/**
 * Every record under `prefix` as it was at one moment. Writes are paused on the whole Redis server
 * (`CLIENT PAUSE <maxPauseMs> WRITE`, https://redis.io/docs/latest/commands/client-pause/): reads go on, writes and
 * scripts wait, and keys neither expire nor are evicted meanwhile, so the data set is static while every key is
 * read (SCAN, then DUMP, PTTL and TYPE in pipelines). The pause is lifted (CLIENT UNPAUSE) as soon as the last key is
 * read, before anything is encoded or written to disk. If reading took longer than the pause (measured on this
 * side, which is never shorter than the server's), the pause may have lapsed mid-read: PauseTooShortError, and the
 * caller writes no file rather than an inconsistent one.
 * On a Redis Cluster every master is paused, one after the other, then every master is read: each master's records
 * are as they were at one moment, and writes between two masters' pauses may be in one and not yet in the other
 * (README "Backup and restore": consistent per master).
 */
export async function takeSnapshot(space: RecordSpace, maxPauseMs: number): Promise<Snapshot> {
  const first = space.nodes[0];
  if (!first) throw new Error('no Redis node to read');
  const prefix = space.keys.prefix;
  const redisVersion = /redis_version:([^\r\n]+)/.exec(await first.info('server'))?.[1] ?? 'unknown';
  const started = Date.now();
  let raw: Raw[];
  let atMs: number;
  try {
    for (const node of space.nodes) await node.call('CLIENT', 'PAUSE', String(maxPauseMs), 'WRITE');
    const [seconds, micros] = await first.time();
    atMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    raw = (await Promise.all(space.nodes.map((node) => readAll(node, space)))).flat();
  } finally {
    await Promise.all(space.nodes.map((node) => node.call('CLIENT', 'UNPAUSE').catch(() => undefined)));
  }
  const elapsed = Date.now() - started;
  if (elapsed >= maxPauseMs) throw new PauseTooShortError(elapsed, maxPauseMs);

  const records: BackupRecord[] = [];
  const byType: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const r of raw) {
    if (r.dump === null) continue; // gone between SCAN and DUMP: cannot happen while paused, but never a null record
    const k = r.relative;
    records.push({ k, t: r.type, x: r.pttl > 0 ? atMs + r.pttl : null, d: r.dump.toString('base64') });
    byType[r.type] = (byType[r.type] ?? 0) + 1;
    const kind = k.split(':')[0] ?? k;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  records.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return {
    header: {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      prefix,
      at: new Date(atMs).toISOString(),
      atMs,
      redisVersion,
      consistency: 'client-pause-write',
      counts: { keys: records.length, byType, byKind },
      excluded: EXCLUDED.map((e) => e.shown),
    },
    records,
  };
}

interface Raw {
  readonly relative: string;
  readonly type: string;
  readonly pttl: number;
  readonly dump: Buffer | null;
}

/** Every record of the space on one node (a plain connection: its pipelines may mix slots). */
async function readAll(node: Redis, space: RecordSpace): Promise<Raw[]> {
  const seen = new Set<string>();
  const out: Raw[] = [];
  for (const pattern of space.keys.patterns()) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', BATCH);
      cursor = next;
      // SCAN may return a key twice (https://redis.io/docs/latest/commands/scan/#scan-guarantees).
      const keys = found.flatMap((key) => {
        const relative = space.keys.relative(key);
        return seen.has(key) || relative === undefined || isExcluded(relative) ? [] : [{ key, relative }];
      });
      keys.forEach(({ key }) => seen.add(key));
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const { key } of keys) pipeline.type(key).pttl(key).dumpBuffer(key);
      const replies = await execPipeline(pipeline);
      keys.forEach(({ relative }, i) => {
        out.push({ relative, type: String(replies[i * 3]), pttl: Number(replies[i * 3 + 1]), dump: (replies[i * 3 + 2] as Buffer | null) ?? null });
      });
    } while (cursor !== '0');
  }
  return out;
}

/** The file's text: the header line, then one line per record. */
export function snapshotLines(snapshot: Snapshot): string[] {
  return [JSON.stringify(snapshot.header), ...snapshot.records.map((r) => JSON.stringify(r))];
}
