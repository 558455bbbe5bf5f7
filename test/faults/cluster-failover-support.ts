import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freeClusterPorts } from '../helpers/cluster-ports';
import { ROOT, waitFor } from './support';

/**
 * A Redis Cluster of our own for the failover fault test: three masters with a replica each, started and stopped by
 * test/helpers/redis-cluster.sh (REDIS_CLUSTER_REPLICAS=1) on six free ports. `cluster-node-timeout` is 1000 ms, so a
 * killed master is flagged FAIL and its replica elected within seconds
 * (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/#test-the-failover).
 */
const SCRIPT = path.join(ROOT, 'test', 'helpers', 'redis-cluster.sh');
const NODE_TIMEOUT_MS = 1000;
const run = promisify(execFile);

/** Six ports in 21000–22706, away from the readyz test's private cluster (17000–20002). */
const sixPorts = (): Promise<number[]> => freeClusterPorts(6, 21000, 1700);

/** One line of CLUSTER NODES (https://redis.io/docs/latest/commands/cluster-nodes/). */
interface NodeLine {
  readonly id: string;
  readonly port: number;
  readonly flags: readonly string[];
  readonly masterId: string;
  readonly slots: readonly (readonly [number, number])[];
}

const parseNodes = (text: string): NodeLine[] =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', addr = '', flags = '', masterId = '', , , , , ...slots] = line.trim().split(' ');
      return {
        id,
        port: Number(addr.slice(addr.lastIndexOf(':') + 1, addr.indexOf('@'))),
        flags: flags.split(','),
        masterId,
        // `0-5460` or `42`; `[slot->-id]` entries are slots being migrated.
        slots: slots.filter((s) => !s.startsWith('[')).map((s): readonly [number, number] => {
          const [from, to = from] = s.split('-').map(Number);
          return [from ?? -1, to ?? -1];
        }),
      };
    });

export class FailoverCluster {
  private readonly killed = new Set<number>();

  private constructor(
    readonly ports: readonly number[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(): Promise<FailoverCluster> {
    const ports = await sixPorts();
    const env = {
      ...process.env,
      REDIS_CLUSTER_PORTS: ports.join(' '),
      REDIS_CLUSTER_DIR: mkdtempSync(path.join(os.tmpdir(), 'luoshi-faults-cluster-')),
      REDIS_CLUSTER_REPLICAS: '1',
      REDIS_CLUSTER_NODE_TIMEOUT: String(NODE_TIMEOUT_MS),
    };
    const cluster = new FailoverCluster(ports, env);
    try {
      await run(SCRIPT, ['start'], { env, timeout: 60000 });
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES: every node, masters and replicas (ioredis asks any of them for the slot map). */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** A node not killed. */
  private alive(): number {
    const port = this.ports.find((p) => !this.killed.has(p));
    if (port === undefined) throw new Error('every node was killed');
    return port;
  }

  /** A plain connection to one node. */
  node(port: number): Redis {
    const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: false });
    r.on('error', () => undefined);
    return r;
  }

  private async ask<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
    const r = this.node(port);
    try {
      return await f(r);
    } finally {
      r.disconnect();
    }
  }

  /** For each key, the live master that serves its slot now and that master's replicas' ports, as `via` sees the cluster. */
  async mastersOf(keys: readonly string[], via = this.alive()): Promise<{ port: number; replicas: number[] }[]> {
    return this.ask(via, async (r) => {
      const lines = parseNodes(String(await r.call('CLUSTER', 'NODES')));
      const out: { port: number; replicas: number[] }[] = [];
      for (const key of keys) {
        const slot = Number(await r.call('CLUSTER', 'KEYSLOT', key));
        const master = lines.find((n) => n.flags.includes('master') && !n.flags.includes('fail') && n.slots.some(([a, b]) => slot >= a && slot <= b));
        if (!master) throw new Error(`no live master serves slot ${slot} (${key})`);
        out.push({ port: master.port, replicas: lines.filter((n) => n.masterId === master.id && !n.flags.includes('fail')).map((n) => n.port) });
      }
      return out;
    });
  }

  async masterOf(key: string, via = this.alive()): Promise<{ port: number; replicas: number[] }> {
    const [master] = await this.mastersOf([key], via);
    if (!master) throw new Error(`no master for ${key}`);
    return master;
  }

  /** `ROLE`'s first field: master or slave. */
  role(port: number): Promise<string | undefined> {
    return this.ask(port, async (r) => {
      const role = await r.call('ROLE');
      return Array.isArray(role) ? String(role[0]) : undefined;
    });
  }

  /** SIGKILL the node on `port` (no chance to flush or hand anything over); resolves once it is gone, with the time of the kill. */
  async kill(port: number): Promise<number> {
    const info = await this.ask(port, (r) => r.info('server'));
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process_id from the node on ${port}`);
    const at = Date.now();
    this.killed.add(port);
    process.kill(pid, 'SIGKILL');
    // Gone once it is a zombie: the nodes are daemons, reaped by PID 1 whenever it gets round to it (up to seconds).
    const gone = (): boolean => {
      try {
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return true;
      }
    };
    await waitFor(gone, 5000, `redis-server ${pid} gone`, 10);
    return at;
  }

  /** Every node that still runs shut down, and its folder removed. */
  async stop(): Promise<void> {
    await run(SCRIPT, ['stop'], { env: this.env, timeout: 30000 }).catch(() => undefined);
  }
}
