/** `luoshi export` / `luoshi import` run as package.json's bin runs them: a separate `node --import tsx` process. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../helpers/harness';

const ROOT = path.join(__dirname, '..', '..');

export interface CliRun {
  readonly code: number;
  readonly json: Record<string, unknown>;
  readonly stderr: string;
}

/** Run `luoshi <args>` (src/cli/luoshi.ts through tsx, as bin/luoshi.js does) and parse its one JSON line. */
export function luoshi(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/cli/luoshi.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, REDIS_URL, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        try {
          resolve({ code, json: JSON.parse(stdout) as Record<string, unknown>, stderr });
        } catch {
          reject(new Error(`luoshi ${args.join(' ')} answered no JSON line (exit ${code}): ${stdout} ${stderr}`));
        }
      },
    );
  });
}

/**
 * Every key under `prefix` (relative to it) with its type, its content and whether it has a TTL. The content, not the
 * DUMP bytes: a hash or set kept as a hash table is dumped in its table's order, which a RESTORE into another key may
 * change while the content stays the same (seen with a hash of three answers).
 */
export async function keyDump(prefix: string, url = REDIS_URL): Promise<Map<string, { type: string; content: string; ttl: boolean }>> {
  const redis = new Redis(url);
  try {
    return await dumpOn(redis, [`${prefix}:*`], (key) => key.slice(prefix.length + 1));
  } finally {
    redis.disconnect();
  }
}

/** `keyDump` of the keys of one node matching `patterns`, named by `relative` (undefined: not one of them). */
export async function dumpOn(redis: Redis, patterns: readonly string[], relative: (key: string) => string | undefined): Promise<Map<string, { type: string; content: string; ttl: boolean }>> {
  const out = new Map<string, { type: string; content: string; ttl: boolean }>();
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const rel = relative(key);
        if (rel === undefined) continue;
        const [type, pttl] = await Promise.all([redis.type(key), redis.pttl(key)]);
        const content = await contentOf(redis, key, type);
        if (content !== undefined) out.set(rel, { type, content, ttl: pttl > 0 });
      }
    } while (cursor !== '0');
  }
  return out;
}

/** A key's content in a canonical form: strings as base64, hash fields and set members sorted, lists and zsets in order. */
async function contentOf(redis: Redis, key: string, type: string): Promise<string | undefined> {
  const b64 = (b: Buffer): string => b.toString('base64');
  switch (type) {
    case 'string': {
      const v = await redis.getBuffer(key);
      return v ? b64(v) : undefined;
    }
    case 'hash': {
      const flat = await redis.hgetallBuffer(key);
      const entries: [string, string][] = Object.entries(flat).map(([f, v]) => [f, b64(v)]);
      return JSON.stringify(entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
    }
    case 'set':
      return JSON.stringify((await redis.smembersBuffer(key)).map(b64).sort());
    case 'list':
      return JSON.stringify((await redis.lrangeBuffer(key, 0, -1)).map(b64));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    case 'none':
      return undefined;
    default:
      throw new Error(`keyDump: no reader for type ${type} (${key})`);
  }
}
