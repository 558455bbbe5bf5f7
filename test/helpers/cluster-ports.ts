import { createServer } from 'node:net';

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * `count` consecutive ports from a random base in [from, from + span), whose cluster bus ports (+10000,
 * https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/) are free too; keep the range below
 * Linux's ephemeral range (32768–60999), where the tests' own connections and the bots' ports are taken.
 */
export async function freeClusterPorts(count: number, from: number, span: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * span);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const free = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10000)]));
    if (free.every(Boolean)) return ports;
  }
  throw new Error(`no ${count} free ports (and bus ports) between ${from} and ${from + span + count - 1}`);
}
