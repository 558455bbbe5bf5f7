/**
 * `luoshi export --out <file> [--prefix P] [--max-pause-ms N]` and `luoshi import <file> [--prefix P] [--force]`:
 * backup and restore of every record under a key prefix (README "Backup and restore", src/store/backup/).
 * Redis is REDIS_URL; the prefix is --prefix, else REDIS_KEY_PREFIX, else `luoshi`. Answers ONE JSON line on stdout,
 * like `luoshi when`: exit 0 done; 2 a refusal (bad flags, a bad file, a non-empty prefix without --force, a pause
 * too short) with nothing changed; 1 anything else (e.g. Redis unreachable).
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { StoreConnection } from '../store/redis-cluster';
import { loadConfig } from '../config';
import { createRedis } from '../store/redis';
import { describeTarget, redisTarget, type RedisTarget } from '../store/redis-target';
import { recordKeys } from '../store/key-prefixes';
import { recordSpace, type RecordSpace } from '../store/backup/record-space';
import { PauseTooShortError, snapshotLines, takeSnapshot } from '../store/backup/export-records';
import { BadBackupError, clearPrefix, keysUnder, parseBackup, restoreRecords } from '../store/backup/import-records';
import type { CliResult } from './luoshi';

export const EXPORT_USAGE = 'luoshi export --out <文件> [--prefix 前缀] [--max-pause-ms 毫秒]';
export const IMPORT_USAGE = 'luoshi import <文件> [--prefix 前缀] [--force]';
const DEFAULT_MAX_PAUSE_MS = 5000;
const PREFIX = /^[A-Za-z0-9_{}-]+$/;

const line = (code: CliResult['code'], value: Record<string, unknown>): CliResult => ({ code, stdout: `${JSON.stringify(value)}\n` });
const refuse = (error: string): CliResult => line(2, { error });

export const isBackupCommand = (command: string | undefined): boolean => command === 'export' || command === 'import';

export async function runBackupCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const [command, ...rest] = argv;
  const usage = command === 'export' ? EXPORT_USAGE : IMPORT_USAGE;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { out: { type: 'string' }, prefix: { type: 'string' }, force: { type: 'boolean' }, 'max-pause-ms': { type: 'string' } },
    });
  } catch (error) {
    return refuse(`参数不对（${(error as Error).message}），用法：${usage}`);
  }
  const { values, positionals } = parsed;
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const prefix = values.prefix ?? config.REDIS_KEY_PREFIX;
  if (!PREFIX.test(prefix)) return refuse(`--prefix「${prefix}」只能含字母、数字、_ - { }`);
  // On a Redis Cluster the records are spread over the masters by chat (src/store/keys.ts): read on every master.
  const cluster = config.REDIS_CLUSTER_NODES.length > 0;
  const keys = recordKeys(prefix, cluster);
  const keysPrefix = keys.prefix;
  const target = redisTarget(config);

  if (command === 'export') {
    if (positionals.length > 0 || values.force) return refuse(`export 不认识「${positionals.join(' ') || '--force'}」，用法：${usage}`);
    if (!values.out) return refuse(`没写 --out 文件，用法：${usage}`);
    const maxPause = values['max-pause-ms'] === undefined ? DEFAULT_MAX_PAUSE_MS : Number(values['max-pause-ms']);
    if (!/^\d+$/.test(values['max-pause-ms'] ?? '1') || maxPause < 100 || maxPause > 60000) {
      return refuse(`--max-pause-ms 要写100到60000之间的整数，不是「${values['max-pause-ms'] ?? ''}」`);
    }
    const out = values.out;
    return withRedis(target, async (redis) => {
      try {
        const snapshot = await takeSnapshot(recordSpace(redis, keys), maxPause);
        // Written beside the target, then renamed: a half-written file never carries the name asked for.
        const partial = `${out}.partial`;
        writeFileSync(partial, `${snapshotLines(snapshot).join('\n')}\n`);
        renameSync(partial, out);
        return line(0, { exported: snapshot.header.counts.keys, out, prefix: keysPrefix, at: snapshot.header.at, byKind: snapshot.header.counts.byKind });
      } catch (error) {
        if (error instanceof PauseTooShortError) {
          return refuse(`读取用了 ${error.elapsedMs} 毫秒，超过了写入暂停的 ${error.maxPauseMs} 毫秒，无法保证是同一时刻的数据，没有写文件；请加大 --max-pause-ms 再导出`);
        }
        throw error;
      }
    });
  }

  if (values.out !== undefined || values['max-pause-ms'] !== undefined) return refuse(`import 不用 --out / --max-pause-ms，用法：${usage}`);
  if (positionals.length !== 1) return refuse(`要写一个备份文件，用法：${usage}`);
  const file = positionals[0] ?? '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return refuse(`读不了文件「${file}」：${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let backup;
  try {
    backup = parseBackup(text);
  } catch (error) {
    if (error instanceof BadBackupError) return refuse(`备份文件「${file}」${error.message}，什么都没导入`);
    throw error;
  }
  return withRedis(target, async (redis) => {
    const space: RecordSpace = recordSpace(redis, keys);
    const present = await keysUnder(space);
    if (present.length > 0 && !values.force) {
      return refuse(`前缀「${keysPrefix}」下已有 ${present.length} 个键，什么都没导入。要整个替换它，先停掉用这个前缀的机器人，再加 --force`);
    }
    const cleared = present.length > 0 ? await clearPrefix(space) : 0;
    const { restored, expired, legacy } = await restoreRecords(space, backup.records, Date.now());
    return line(0, {
      imported: restored,
      expired,
      cleared,
      ...(legacy > 0 ? { legacyIds: legacy } : {}),
      prefix: keysPrefix,
      from: { prefix: backup.header.prefix, at: backup.header.at },
      reminders: '提醒没有导出：机器人下次启动时按记录重新安排每一条待发提醒（每条一次）',
    });
  });
}

/** Ready, or false at once when the connection ends (no retries) or after 5 s; leaves no timer behind. */
function connected(redis: StoreConnection): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady).off('end', onEnd);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const onEnd = (): void => done(false);
    const timer = setTimeout(() => done(false), 5000);
    redis.once('ready', onReady).once('end', onEnd);
  });
}

/**
 * The configured Redis: REDIS_URL, or the master the sentinels name (src/store/redis-target.ts), or the cluster (its
 * masters are read one by one: src/store/backup/record-space.ts).
 */
async function withRedis(target: RedisTarget, body: (redis: StoreConnection) => Promise<CliResult>): Promise<CliResult> {
  const opened: StoreConnection[] = [];
  const open = (t: RedisTarget): StoreConnection => {
    const conn = createRedis(t, { retryStrategy: () => null });
    conn.on('error', () => undefined); // reported below, as the answer
    opened.push(conn);
    return conn;
  };
  try {
    const redis = open(target);
    if (!(await connected(redis))) return line(1, { error: `连不上 Redis（${describeTarget(target)}）` });
    return await body(redis);
  } catch (error) {
    return line(1, { error: `内部错误：${(error as Error).message}` });
  } finally {
    // An ended connection is left alone: disconnecting it again keeps a timer alive (src/store/connections.ts).
    for (const conn of opened) if (conn.status !== 'end') conn.disconnect();
  }
}
