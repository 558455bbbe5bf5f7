import { isCluster, type StoreConnection } from './redis-cluster';

/**
 * Close a connection for good. QUIT, so that the commands sent before it are answered; but a sentinel connection is
 * disconnected instead: its failover detector holds a subscribed connection to every sentinel, which only
 * `disconnect()` closes (SentinelConnector.disconnect; QUIT leaves them open and the process running,
 * https://github.com/redis/ioredis/blob/main/lib/connectors/SentinelConnector/index.ts). By then nothing is in flight:
 * the HTTP server and the workers stopped first (src/bot.ts stop). A connection already closed is left alone
 * (disconnecting it again keeps a timer alive).
 */
export async function closeConnection(c: StoreConnection): Promise<void> {
  if (c.status === 'end') return;
  const sentinel = !isCluster(c) && (c.options.sentinels?.length ?? 0) > 0;
  if (c.status !== 'ready' || sentinel) {
    c.disconnect();
    return;
  }
  await c.quit().then(
    () => undefined,
    () => c.disconnect(),
  );
}
