import type { Command } from 'ioredis';
import { StoreUnavailableError } from '../errors';

/**
 * How ioredis says the server cannot be reached, on a command: "Connection is closed.", "Stream isn't writeable
 * and enableOfflineQueue options is false", MaxRetriesPerRequestError, or the socket's own error
 * (https://github.com/redis/ioredis/blob/main/lib/Redis.ts, `sendCommand` and `flushQueue`); a cluster's "Cluster
 * isn't ready and enableOfflineQueue options is false" and "Failed to refresh slots cache"
 * (https://github.com/redis/ioredis/blob/main/lib/cluster/index.ts). A cluster also gives up with "Too many Cluster
 * redirections" (`handleError`, after maxRedirections MOVED/ASK/TRYAGAIN/CLUSTERDOWN replies) while a master is lost:
 * the other nodes send the command to the dead master's address until its replica is promoted
 * (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/), so that is an outage too, not a bug.
 */
const UNREACHABLE =
  /ECONNREFUSED|ETIMEDOUT|Connection is closed|MaxRetriesPerRequest|ENOTFOUND|Stream isn't writeable|enableOfflineQueue|ECONNRESET|Cluster isn't ready|Failed to refresh slots cache|CLUSTERDOWN|Too many Cluster redirections/i;

/** The client's error as the store throws it: a StoreUnavailableError when the server could not be reached. */
export function storeError(err: Error): Error {
  if (err instanceof StoreUnavailableError) return err;
  return UNREACHABLE.test(err.message) || err.name === 'MaxRetriesPerRequestError' ? new StoreUnavailableError(err) : err;
}

/** Marks a `reject` that is already storeError's (a property of the function: cheaper per command than a WeakSet). */
const TYPED = Symbol('luoshi.typedRejection');
type Reject = ((err: Error) => void) & { [TYPED]?: true };

/**
 * Make `command` fail with storeError's error. Every way ioredis fails a command goes through the command's
 * `reject`, so that is where the error is typed. It is typed again whenever the command is sent with a `reject` of
 * ioredis's own: a cluster pipeline or MULTI that failed on a MOVED, ASK or closed connection is sent again after
 * `initPromise()`, which gives each of its commands a new `reject`
 * (https://github.com/redis/ioredis/blob/main/lib/Pipeline.ts, `fillResult`).
 */
export function typeRejection(command: Command): void {
  const reject: Reject = command.reject;
  if (reject[TYPED]) return;
  // A bound function, not an arrow: tsx names every arrow assigned to a constant at run time (esbuild's keepNames,
  // a defineProperty per command), which alone was 1% of a bulk creation's CPU (bench:schedule).
  const typed: Reject = rejectTyped.bind(undefined, reject);
  typed[TYPED] = true;
  command.reject = typed;
}

function rejectTyped(this: void, reject: Reject, err: Error): void {
  reject(storeError(err));
}
