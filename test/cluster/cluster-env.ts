import { Cluster } from 'ioredis';

/**
 * The local Redis Cluster of the cluster suite: test/helpers/redis-cluster.sh starts three masters on 7001–7003
 * (`.ci/run` starts it before `npm run test:cluster`); REDIS_CLUSTER_NODES names others.
 */
export const CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';

/** A plain ioredis Cluster on those nodes (or `list`'s) for the test's own reads, once it is ready. */
export async function openCluster(list = CLUSTER_NODES): Promise<Cluster> {
  const nodes = list.split(',').map((v) => ({ host: v.slice(0, v.lastIndexOf(':')), port: Number(v.slice(v.lastIndexOf(':') + 1)) }));
  const cluster = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  cluster.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', () => resolve());
    cluster.once('end', () => reject(new Error(`no Redis Cluster at ${list} (test/helpers/redis-cluster.sh start)`)));
  });
  return cluster;
}

/** Every key on every master matching `pattern` (SCAN runs per node: a cluster connection sends it to one). */
export async function clusterKeys(cluster: Cluster, pattern: string): Promise<string[]> {
  const out: string[] = [];
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', '1000');
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out;
}

/** Delete every key of a bot with REDIS_KEY_PREFIX `prefix` from every master (one UNLINK per key: slots differ). */
export async function removeFromCluster(cluster: Cluster, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}:*`, `[{]${prefix}[}]:*`, `[{]${prefix}:*[}]:bull:*`]) {
    for (const key of await clusterKeys(cluster, pattern)) await cluster.unlink(key);
  }
}
