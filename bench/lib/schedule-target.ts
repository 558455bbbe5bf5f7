/**
 * Where bench:schedule runs: a private standalone redis-server, the shared Redis, or a local 3-master Redis Cluster
 * (test/helpers/redis-cluster.sh, ports of the bench's own). Server figures (used_memory, CPU, commandstats) are
 * summed over the masters; keys are found with SCAN on each master (a cluster's SCAN covers one node only:
 * https://redis.io/docs/latest/commands/scan/).
 */
import { execFileSync } from 'node:child_process';
import { Cluster, Redis } from 'ioredis';
import { privateRedis, REDIS_URL, removePrefix } from './common';

export type TargetKind = 'private' | 'shared' | 'cluster';

export interface CommandStat {
  calls: number;
  usec: number;
}

export interface ScheduleTarget {
  readonly kind: TargetKind;
  readonly description: string;
  /** Settings for benchConfig: where the Bot connects. */
  readonly env: Record<string, string>;
  /** A connection for the baseline's queue (BullMQ needs `maxRetriesPerRequest: null` only on workers). */
  connection(): Redis | Cluster;
  /** BullMQ prefix of the baseline queue: on a cluster hash-tagged, so each queue's keys share a slot (https://docs.bullmq.io/bull/patterns/redis-cluster). */
  bullPrefix(prefix: string): string;
  usedMemory(): Promise<number>;
  cpuSeconds(): Promise<number>;
  commandStats(): Promise<Map<string, CommandStat>>;
  /** The masters, for SCAN-based breakdowns. */
  masters(): Redis[];
  removePrefix(prefix: string): Promise<void>;
  close(): Promise<void>;
}

const sumInfo = async (nodes: Redis[], section: string, field: RegExp): Promise<number> => {
  let total = 0;
  for (const node of nodes) total += Number(field.exec(await node.info(section))?.[1] ?? 0);
  return total;
};

async function sumCommandStats(nodes: Redis[]): Promise<Map<string, CommandStat>> {
  const out = new Map<string, CommandStat>();
  for (const node of nodes) {
    for (const m of (await node.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
      const s = out.get(m[1] ?? '') ?? { calls: 0, usec: 0 };
      out.set(m[1] ?? '', { calls: s.calls + Number(m[2]), usec: s.usec + Number(m[3]) });
    }
  }
  return out;
}

/** Every key containing `prefix` (a unique random string), on one node, unlinked one by one (keys of many slots). */
async function unlinkMatching(node: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', '1000');
    cursor = next;
    if (keys.length === 0) continue;
    const pipe = node.pipeline();
    for (const key of keys) pipe.unlink(key);
    await pipe.exec();
  } while (cursor !== '0');
}

function common(kind: TargetKind, description: string, env: Record<string, string>, admin: Redis | Cluster): Omit<ScheduleTarget, 'connection' | 'bullPrefix' | 'removePrefix' | 'close'> {
  const masters = (): Redis[] => (admin instanceof Cluster ? admin.nodes('master') : [admin]);
  return {
    kind,
    description,
    env,
    masters,
    usedMemory: () => sumInfo(masters(), 'memory', /used_memory:(\d+)/),
    cpuSeconds: async () => (await sumInfo(masters(), 'cpu', /used_cpu_user:([\d.]+)/)) + (await sumInfo(masters(), 'cpu', /used_cpu_sys:([\d.]+)/)),
    commandStats: () => sumCommandStats(masters()),
  };
}

/** A standalone Redis: private (the shipped redis.conf's memory settings) or the shared one at REDIS_URL. */
export async function standaloneTarget(shared: boolean): Promise<ScheduleTarget> {
  const own = shared ? undefined : await privateRedis({ 'hash-max-listpack-value': '512', 'maxmemory-policy': 'noeviction' });
  const url = own?.url ?? REDIS_URL;
  const admin = new Redis(url);
  // A server stopped at the end: a client still closing keeps quiet instead of printing an unhandled error.
  admin.on('error', () => undefined);
  const connections: Redis[] = [];
  return {
    ...common(
      shared ? 'shared' : 'private',
      own ? `private redis-server at ${url} with the shipped redis.conf's memory settings (hash-max-listpack-value 512)` : `the shared Redis at ${url} with its own settings`,
      { REDIS_URL: url },
      admin,
    ),
    connection: () => {
      const c = new Redis(url, { maxRetriesPerRequest: null });
      c.on('error', () => undefined);
      connections.push(c);
      return c;
    },
    bullPrefix: (prefix) => `${prefix}:bull`,
    // A private server goes away with all its keys at close: nothing to remove (and a watchdog stop is not held up).
    removePrefix: async (prefix) => (own ? undefined : removePrefix(prefix, url)),
    close: async () => {
      for (const c of connections) c.disconnect();
      admin.disconnect();
      await own?.stop();
    },
  };
}

const CLUSTER_SCRIPT = 'test/helpers/redis-cluster.sh';

/**
 * A local 3-master cluster on BENCH_SCHEDULE_CLUSTER_PORTS (default 7101–7103), started by the bench when it is not
 * running and stopped at the end if the bench started it. The Bot gets REDIS_CLUSTER_NODES (issue 16 item 1).
 */
export async function clusterTarget(): Promise<ScheduleTarget> {
  const ports = (process.env.BENCH_SCHEDULE_CLUSTER_PORTS ?? '7101 7102 7103').split(/\s+/).filter(Boolean);
  const scriptEnv = { ...process.env, REDIS_CLUSTER_PORTS: ports.join(' '), REDIS_CLUSTER_DIR: process.env.BENCH_SCHEDULE_CLUSTER_DIR ?? '/tmp/luoshi-bench-cluster' };
  const running = execFileSync('bash', [CLUSTER_SCRIPT, 'status'], { env: scriptEnv, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.endsWith(' ok')).length;
  const started = running < ports.length;
  if (started) execFileSync('bash', [CLUSTER_SCRIPT, 'start'], { env: scriptEnv, stdio: 'ignore' });
  const nodes = ports.map((p) => ({ host: '127.0.0.1', port: Number(p) }));
  const admin = new Cluster(nodes);
  await new Promise<void>((resolve, reject) => {
    admin.once('ready', () => resolve());
    admin.once('error', reject);
  });
  const connections: Cluster[] = [];
  return {
    ...common(
      'cluster',
      `local Redis Cluster of ${ports.length} masters on ${ports.join(', ')} (${started ? 'started' : 'already running'}; hash-max-listpack-value 512)`,
      { REDIS_CLUSTER_NODES: nodes.map((n) => `${n.host}:${n.port}`).join(','), REDIS_URL: `redis://127.0.0.1:${ports[0] ?? '7101'}` },
      admin,
    ),
    connection: () => {
      const c = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
      connections.push(c);
      return c;
    },
    bullPrefix: (prefix) => `{${prefix}}:bull`,
    removePrefix: async (prefix) => {
      for (const node of admin.nodes('master')) await unlinkMatching(node, prefix);
    },
    close: async () => {
      for (const c of connections) c.disconnect();
      admin.disconnect();
      if (started) execFileSync('bash', [CLUSTER_SCRIPT, 'stop'], { env: scriptEnv, stdio: 'ignore' });
    },
  };
}
