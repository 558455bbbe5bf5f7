import type { Command } from 'ioredis';
import { StoreUnavailableError } from '../errors';

/**
 * How ioredis says the server cannot be reached, on a command: "Connection is closed.", "Stream isn't writeable
 * and enableOfflineQueue options is false", MaxRetriesPerRequestError, or the socket's own error
 * (https://github.com/redis/ioredis/blob/main/lib/Redis.ts, `sendCommand` and `flushQueue`); a cluster's "Cluster
 * isn't ready and enableOfflineQueue options is false" and "Failed to refresh slots cache"
 * (https://github.com/redis/ioredis/blob/main/lib/cluster/index.ts).
 */
const UNREACHABLE =
  /ECONNREFUSED|ETIMEDOUT|Connection is closed|MaxRetriesPerRequest|ENOTFOUND|Stream isn't writeable|enableOfflineQueue|ECONNRESET|Cluster isn't ready|Failed to refresh slots cache|CLUSTERDOWN/i;

/** The client's error as the store throws it: a StoreUnavailableError when the server could not be reached. */
export function storeError(err: Error): Error {
  if (err instanceof StoreUnavailableError) return err;
  return UNREACHABLE.test(err.message) || err.name === 'MaxRetriesPerRequestError' ? new StoreUnavailableError(err) : err;
}

const typed = new WeakSet<Command>();

/**
 * Make `command` fail with storeError's error. Every way ioredis fails a command goes through the command's
 * `reject`, so that is where the error is typed (once per command, however many times it is sent or redirected).
 */
export function typeRejection(command: Command): void {
  if (typed.has(command)) return;
  typed.add(command);
  const reject = command.reject;
  command.reject = (err: Error) => reject(storeError(err));
}
