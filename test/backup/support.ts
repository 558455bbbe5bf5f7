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

/** Every key under `prefix` (relative to it) with its DUMP payload (base64) and whether it has a TTL. */
export async function keyDump(prefix: string): Promise<Map<string, { dump: string; ttl: boolean }>> {
  const redis = new Redis(REDIS_URL);
  try {
    const out = new Map<string, { dump: string; ttl: boolean }>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const [dump, pttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
        if (dump) out.set(key.slice(prefix.length + 1), { dump: dump.toString('base64'), ttl: pttl > 0 });
      }
    } while (cursor !== '0');
    return out;
  } finally {
    redis.disconnect();
  }
}
