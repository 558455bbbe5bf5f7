import type { Cluster } from 'ioredis';
import type { ClusterTarget } from '../redis-target';

/**
 * The master that holds every record of a Redis Cluster deployment. The records share one hash tag (`{<prefix>}`,
 * src/store/key-prefixes.ts), so they all live in one slot, on one master: export and import read and write that node
 * as they would one Redis (SCAN, CLIENT PAUSE WRITE, DUMP/RESTORE), and a snapshot of it is a snapshot of every
 * record. The slot is the cluster's own answer (CLUSTER KEYSLOT,
 * https://redis.io/docs/latest/commands/cluster-keyslot/), its master from the slot map ioredis keeps
 * (https://github.com/redis/ioredis/blob/main/lib/cluster/index.ts `slots`).
 */
export async function recordsNodeUrl(cluster: Cluster, target: ClusterTarget, recordPrefix: string): Promise<string> {
  const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', `${recordPrefix}:x`));
  const master = cluster.slots[slot]?.[0];
  if (!Number.isInteger(slot) || !master) throw new Error(`no master holds slot ${slot} of ${recordPrefix}`);
  const auth = target.password ? `:${encodeURIComponent(target.password)}@` : '';
  return `redis://${auth}${master}`;
}
