import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freeClusterPorts } from '../helpers/cluster-ports';

/**
 * A 3-master Redis Cluster (no replicas) of one test's own, started and stopped by test/helpers/redis-cluster.sh
 * on three free ports (REDIS_CLUSTER_PORTS, REDIS_CLUSTER_DIR), for a test that pauses or stops a master: the shared
 * cluster on 7001–7003 serves the other suites meanwhile.
 */
const SCRIPT = path.join(__dirname, '..', 'helpers', 'redis-cluster.sh');
const run = promisify(execFile);

/** Three ports in 17000–20002, away from the failover fault test's (21000–22706). */
const threePorts = (): Promise<number[]> => freeClusterPorts(3, 17000, 3000);

export class PrivateCluster {
  private constructor(
    readonly ports: readonly number[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(): Promise<PrivateCluster> {
    const ports = await threePorts();
    const env = { ...process.env, REDIS_CLUSTER_PORTS: ports.join(' '), REDIS_CLUSTER_DIR: mkdtempSync(path.join(os.tmpdir(), 'luoshi-readyz-cluster-')) };
    const cluster = new PrivateCluster(ports, env);
    try {
      await cluster.up();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES of this cluster. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** Start every node not running (one stopped comes back with its nodes.conf: same id, same slots) and wait for cluster_state ok. */
  async up(): Promise<void> {
    await run(SCRIPT, ['start'], { env: this.env, timeout: 60000 });
  }

  /** Run `f` on a plain connection to the node on `port`. */
  async on<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    try {
      return await f(r);
    } finally {
      r.disconnect();
    }
  }

  /** Each master's port and its slot ranges (CLUSTER SLOTS, https://redis.io/docs/latest/commands/cluster-slots/). */
  async slotRanges(): Promise<Map<number, (readonly [number, number])[]>> {
    const port = this.ports[0];
    if (port === undefined) throw new Error('no port');
    const rows = await this.on(port, (r) => r.cluster('SLOTS'));
    const out = new Map<number, (readonly [number, number])[]>();
    for (const [from, to, master] of rows) {
      // The master first, then its replicas.
      if (master) out.set(master[1], [...(out.get(master[1]) ?? []), [from, to]]);
    }
    return out;
  }

  /** Stop the node on `port` (SHUTDOWN NOSAVE: it keeps nothing on disk but its nodes.conf). */
  async shutdown(port: number): Promise<void> {
    await this.on(port, (r) => r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined));
  }

  /** Every node shut down and the folder removed. */
  async stop(): Promise<void> {
    await run(SCRIPT, ['stop'], { env: this.env, timeout: 30000 }).catch(() => undefined);
  }
}
