import { freeClusterPorts } from '../helpers/cluster-ports';
import { OwnCluster } from '../helpers/own-cluster';

/**
 * A 3-master Redis Cluster (no replicas) of one test's own (test/helpers/own-cluster.ts), for a test that pauses or
 * stops a master: the shared cluster on 7001–7003 serves the other suites meanwhile.
 */
export class PrivateCluster extends OwnCluster {
  static async start(): Promise<PrivateCluster> {
    // Three ports in 17000–20002, away from the failover fault test's (21000–22706).
    const ports = await freeClusterPorts(3, 17000, 3000);
    return OwnCluster.started(new PrivateCluster(ports, OwnCluster.envFor(ports, 'readyz-cluster')));
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
}
