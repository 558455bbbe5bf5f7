/**
 * Shared helpers of the issue #7 benchmarks (bench/*.bench.ts): statistics, the machine's description, Redis key
 * prefixes and their removal, a watchdog so that every bench exits by itself, and the closing JSON line.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import type { Logger } from '../../src/logger';
import { REDIS_URL } from '../../test/helpers/harness';

export { removePrefix } from '../../test/helpers/harness';

export { REDIS_URL };

/** Only the local Redis and loopback addresses are ever used by the benches. */
if (!/^redis:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\d+)?$/.test(REDIS_URL)) {
  throw new Error(`benchmarks talk to a local Redis only (got REDIS_URL=${REDIS_URL})`);
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Nearest-rank percentile (p in 0..100). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((s.length * p) / 100) - 1))] ?? Number.NaN;
};

/**
 * A Redis server of the bench's own on 127.0.0.1 (for experiments with server settings that must not touch the
 * shared one), on a free port, no persistence. `stop()` shuts it down.
 */
export async function privateRedis(settings: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => resolve(p));
    });
  });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...Object.entries(settings).flatMap(([k, v]) => [`--${k}`, v])];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined); // the server is still starting: the refused connection is expected
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) break;
    await sleep(50);
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    },
  };
}

export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A key prefix of the bench's own, e.g. `bench-callback-1a2b3c4d` (removed by `removePrefix` at the end). */
export const benchPrefix = (name: string): string => `bench-${name}-${randomUUID().slice(0, 8)}`;

export const silentLog = (): Logger => pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

/** The bot's configuration as tests build it, with the bench's prefix, quiet hours off and no log output. */
export function benchConfig(prefix: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DEFAULT_QUIET_HOURS: 'off',
    ...env,
  });
}

export interface MachineInfo {
  nproc: number;
  cpu: string;
  node: string;
  redis: string;
  load: string;
}

export async function machineInfo(url = REDIS_URL): Promise<MachineInfo> {
  const redis = new Redis(url);
  try {
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    let nproc = cpus().length;
    try {
      nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
    } catch {
      // keep os.cpus()
    }
    let load = '?';
    try {
      load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
    } catch {
      // not Linux
    }
    return { nproc, cpu: cpus()[0]?.model ?? '?', node: process.version, redis: version, load };
  } finally {
    redis.disconnect();
  }
}

export function printMachine(m: MachineInfo): void {
  console.log(`machine: ${m.nproc} cores (${m.cpu}), Node ${m.node}, Redis ${m.redis}, load average ${m.load}`);
}

/** CPU seconds the Redis server has used (user + system), from `INFO cpu`. */
export async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  return user + sys;
}

/** Redis `INFO memory` used_memory, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** Sum of `MEMORY USAGE` over every key under a prefix (robust to other clients writing to the same Redis). */
export async function prefixMemory(redis: Redis, prefix: string, match = `${prefix}:*`): Promise<{ keys: number; bytes: number; byKind: Record<string, number> }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  const byKind: Record<string, number> = {};
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', '2000');
    cursor = next;
    if (batch.length === 0) continue;
    const pipe = redis.pipeline();
    for (const key of batch) pipe.memory('USAGE', key, 'SAMPLES', '0');
    const res = await pipe.exec();
    batch.forEach((key, i) => {
      const n = Number(res?.[i]?.[1] ?? 0);
      keys += 1;
      bytes += n;
      // Hash tags (a cluster's `{…}`) are left out of the family.
      const plain = key.replace(/[{}]/g, '');
      const at = plain.indexOf(`${prefix}:`);
      // On a cluster the queues carry a tag of their own, `{<prefix>:queues}` (src/store/key-prefixes.ts).
      const kind = kindOfKey((at >= 0 ? plain.slice(at + prefix.length + 1) : plain).replace(/^queues:/, ''));
      byKind[kind] = (byKind[kind] ?? 0) + n;
    });
  } while (cursor !== '0');
  return { keys, bytes, byKind };
}

/** A coarse family for a key under the prefix: `bull:reminders:<id>` -> `bull:reminders:job`, `duty:<id>:history` -> `duty:history`. */
function kindOfKey(rest: string): string {
  const parts = rest.split(':');
  if (parts[0] === 'bull') {
    const tail = parts.slice(2);
    const named = new Set(['delayed', 'wait', 'meta', 'id', 'events', 'marker', 'active', 'completed', 'failed', 'prioritized', 'paused', 'stalled-check', 'pc', 'de']);
    if (tail.length === 1 && named.has(tail[0] ?? '')) return `bull:${parts[1]}:${tail[0]}`;
    if (tail.length >= 2) return `bull:${parts[1]}:job:${tail.slice(1).join(':')}`;
    return `bull:${parts[1]}:job`;
  }
  if (parts[0] === 'duty') return parts.length === 2 ? 'duty' : `duty:${parts[2]}`;
  if (parts[0] === 'chat') return `chat:${parts[parts.length - 1]}`;
  return parts[0] ?? rest;
}

/**
 * Every bench stops by itself: after `seconds` the process prints what it knows, a failed JSON line and exits.
 * `cleanup` runs first (removing the bench's keys), bounded to 15 s.
 */
export function watchdog(bench: string, seconds: number, cleanup: () => Promise<void>): { clear(): void } {
  const timer = setTimeout(() => {
    console.error(`${bench}: did not finish within ${seconds} s: stopping`);
    const bail = setTimeout(() => process.exit(2), 15000);
    bail.unref();
    cleanup()
      .catch(() => undefined)
      .finally(() => {
        console.log(JSON.stringify({ bench, error: `timed out after ${seconds} s`, target_met: false }));
        process.exit(2);
      });
  }, seconds * 1000);
  timer.unref();
  const onSignal = (): void => {
    cleanup()
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    clear: () => {
      clearTimeout(timer);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/**
 * Runs a bench's `main` and exits: 0 when it ends, 1 when it throws, after `cleanup` (removing the bench's keys)
 * and the failed JSON line the bench scripts read. `cleanup` is called only then: a bench that sets its cleanup
 * inside `main` passes `() => cleanup()`, so that the one set is the one run.
 */
export function runBench(bench: string, main: () => Promise<void>, cleanup: () => Promise<void> = async () => undefined): void {
  main().then(
    () => process.exit(0),
    async (err: unknown) => {
      console.error(err);
      await cleanup().catch(() => undefined);
      console.log(JSON.stringify({ bench, error: String(err), target_met: false }));
      process.exit(1);
    },
  );
}

/** The one JSON line a bench ends with. */
export function emit(result: Record<string, unknown> & { bench: string; target_met: boolean }): void {
  console.log(JSON.stringify(result));
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
