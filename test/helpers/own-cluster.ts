import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

/**
 * A Redis Cluster of one test's own on free ports, started and stopped by test/helpers/redis-cluster.sh
 * (REDIS_CLUSTER_PORTS, REDIS_CLUSTER_DIR and any other setting of the script in `settings`), while the shared cluster
 * on 7001–7003 serves the other suites: test/cluster/private-cluster.ts (readyz) and
 * test/faults/cluster-failover-support.ts (failover) build on it.
 */
const SCRIPT = path.join(__dirname, 'redis-cluster.sh');
const run = promisify(execFile);

export class OwnCluster {
  protected constructor(
    readonly ports: readonly number[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The script's environment for `ports`, with a temp folder named after `name`. */
  protected static envFor(ports: readonly number[], name: string, settings: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, REDIS_CLUSTER_PORTS: ports.join(' '), REDIS_CLUSTER_DIR: mkdtempSync(path.join(os.tmpdir(), `luoshi-${name}-`)), ...settings };
  }

  /** `cluster` brought up, or stopped (and the error thrown) when it does not come up. */
  protected static async started<T extends OwnCluster>(cluster: T): Promise<T> {
    try {
      await cluster.up();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES: every node (ioredis asks any of them for the slot map). */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** Start every node not running (one stopped comes back with its nodes.conf: same id, same slots) and wait for cluster_state ok. */
  async up(): Promise<void> {
    await run(SCRIPT, ['start'], { env: this.env, timeout: 60000 });
  }

  /** A plain connection to the node on `port`. */
  node(port: number): Redis {
    const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    return r;
  }

  /** Run `f` on a plain connection to the node on `port`. */
  async on<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
    const r = this.node(port);
    try {
      return await f(r);
    } finally {
      r.disconnect();
    }
  }

  /** Every node that still runs shut down, and its folder removed. */
  async stop(): Promise<void> {
    await run(SCRIPT, ['stop'], { env: this.env, timeout: 30000 }).catch(() => undefined);
  }
}
