import { createHash } from 'node:crypto';
import type { StoreConnection } from './redis-cluster';

/*
 * A Lua script sent by its SHA-1 (EVALSHA), and in full (EVAL) only when the server does not have it yet: a new
 * server, a restart, a failover to a replica, SCRIPT FLUSH (https://redis.io/docs/latest/commands/evalsha/: "NOSCRIPT
 * No matching script"). EVAL sends the whole text every time and makes the server hash it again; for the creation
 * script (1.2 KB, one call per chat of a campaign) that was bench:schedule's largest share of Redis time and of the
 * bytes the client encodes. ioredis's own `defineCommand` does the same per connection
 * (https://github.com/redis/ioredis/blob/main/lib/Script.ts); this works on any StoreConnection, cluster included (the
 * command goes to the master of its keys' slot, and the fallback loads the script there).
 */

const shas = new Map<string, string>();

export const shaOf = (script: string): string => {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
};

/** `redis.eval(script, numKeys, ...keysAndArgs)`, by SHA-1 first. */
export async function runScript(redis: StoreConnection, script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(shaOf(script), numKeys, ...keysAndArgs);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(script, numKeys, ...keysAndArgs);
    throw err;
  }
}
