import { readFileSync } from 'node:fs';
import { freeClusterPorts } from '../helpers/cluster-ports';
import { OwnCluster } from '../helpers/own-cluster';
import { waitFor } from './support';

/**
 * A Redis Cluster of our own for the failover fault test (test/helpers/own-cluster.ts): three masters with a replica
 * each (REDIS_CLUSTER_REPLICAS=1) on six free ports. `cluster-node-timeout` is 1000 ms, so a
 * killed master is flagged FAIL and its replica elected within seconds
 * (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/#test-the-failover).
 */
const NODE_TIMEOUT_MS = 1000;

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

export class FailoverCluster extends OwnCluster {
  private readonly killed = new Set<number>();

  static async start(): Promise<FailoverCluster> {
    const ports = await sixPorts();
    const env = OwnCluster.envFor(ports, 'faults-cluster', { REDIS_CLUSTER_REPLICAS: '1', REDIS_CLUSTER_NODE_TIMEOUT: String(NODE_TIMEOUT_MS) });
    return OwnCluster.started(new FailoverCluster(ports, env));
  }

  /** A node not killed. */
  private alive(): number {
    const port = this.ports.find((p) => !this.killed.has(p));
    if (port === undefined) throw new Error('every node was killed');
    return port;
  }

  /** For each key, the live master that serves its slot now and that master's replicas' ports, as `via` sees the cluster. */
  async mastersOf(keys: readonly string[], via = this.alive()): Promise<{ port: number; replicas: number[] }[]> {
    return this.on(via, async (r) => {
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
    return this.on(port, async (r) => {
      const role = await r.call('ROLE');
      return Array.isArray(role) ? String(role[0]) : undefined;
    });
  }

  /** SIGKILL the node on `port` (no chance to flush or hand anything over); resolves once it is gone, with the time of the kill. */
  async kill(port: number): Promise<number> {
    const info = await this.on(port, (r) => r.info('server'));
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
}
