import type { Worker } from 'bullmq';
import type { Logger } from '../logger';

/**
 * A process-local watchdog over the BullMQ workers: a worker whose blocking connection (the one BZPOPMIN waits on) is
 * not ready for `staleMs` while its base connection is ready is replaced by a new worker with the same processor and
 * options, as the BullMQ maintainer advises ("if there is a disconnect event and no ready event after a certain
 * amount of time, close the worker and create a new one", https://github.com/taskforcesh/bullmq/issues/3185). It
 * covers the wedge of https://github.com/taskforcesh/bullmq/issues/4138 (open): after cluster failovers the blocking
 * cluster client may end `close`/`end` with no node and never reconnect, and the worker's jobs stay delayed forever.
 *
 * How the blocking client is reached (BullMQ 6.7, node_modules/bullmq/dist/esm): `Worker.getBackend()`
 * (classes/queue-base.js:55) is the RedisQueueBackend whose `blockingClient` (classes/redis-queue-backend.js:251) and
 * `client` (:244) resolve to the ioredis clients once ready (classes/redis-connection.js:234, `initializing`); their
 * ioredis `status` is then read synchronously on each tick. Live means `ready`, or `connect` on a Cluster, as
 * BullMQ's own `isClientLive` (classes/redis-queue-backend.js:27) has it.
 *
 * The clock only runs while the base connection is live: a Redis that is down for everyone is ioredis's to reconnect
 * (BullMQ recovers its blocking client itself, #4484/#4586), and the watchdog must not churn workers meanwhile.
 */
export interface WatchdogSettings {
  /** How long the blocking connection may be not live while the base one is, before the worker is replaced. */
  readonly staleMs: number;
  /** How often the connections are looked at. */
  readonly intervalMs: number;
  /** How long a replaced worker may finish the jobs it holds before it is closed by force. */
  readonly graceMs: number;
}

/** Settings from one number of seconds (config WORKER_WATCHDOG_SECONDS): checked three times per period, at most every 5 s. */
export const watchdogSettings = (seconds: number): WatchdogSettings => ({
  staleMs: seconds * 1000,
  intervalMs: Math.min(5000, Math.max(250, Math.round((seconds * 1000) / 3))),
  // BullMQ's default lockDuration: a job held longer is taken as stalled anyway.
  graceMs: 30000,
});

interface ClientLike {
  readonly status: string;
  readonly isCluster?: boolean;
}

const isLive = (client: ClientLike | undefined): boolean => client !== undefined && (client.status === 'ready' || (client.status === 'connect' && client.isCluster === true));

/** One worker instance and what the watchdog knows of it. */
interface Tracked<W> {
  readonly worker: W;
  base?: ClientLike;
  blocking?: ClientLike;
  active: number;
}

interface Supervised {
  check(now: number): void;
  close(): Promise<void>;
}

/** A worker kept running by the watchdog: `current()` is the worker in service (a replacement after a restart). */
export interface Slot<W> {
  current(): W;
}

export class WorkerWatchdog {
  private readonly supervised: Supervised[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Resolved when the set closes: a replaced worker still finishing its jobs is then closed at once. */
  private hurry: () => void = () => undefined;
  private readonly closing = new Promise<void>((resolve) => (this.hurry = resolve));

  constructor(
    private readonly settings: WatchdogSettings,
    private readonly log: Logger,
    private readonly onRestart: (queue: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keep the worker `create()` builds running; `create` is called again (same processor and options) to replace it. */
  supervise<D, R>(queue: string, create: () => Worker<D, R>): Slot<Worker<D, R>> {
    const log = this.log.child({ queue, component: 'worker-watchdog' });
    let tracked = track(create());
    let since: number | undefined;
    const retiring = new Set<Promise<void>>();
    this.supervised.push({
      check: (now) => {
        if (this.closed || tracked.worker.closing) return;
        if (isLive(tracked.blocking) || !isLive(tracked.base)) {
          since = undefined;
          return;
        }
        since ??= now;
        if (now - since < this.settings.staleMs) return;
        log.warn({ status: tracked.blocking?.status ?? 'never ready', notReadyMs: now - since, active: tracked.active }, 'worker blocking connection not ready while Redis is: worker replaced');
        this.onRestart(queue);
        const old = tracked;
        tracked = track(create());
        since = undefined;
        const done = this.retire(old, log).finally(() => retiring.delete(done));
        retiring.add(done);
      },
      close: async () => {
        await Promise.all([tracked.worker.close(), ...retiring]);
      },
    });
    return { current: () => tracked.worker };
  }

  start(): this {
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Stop watching, then close every worker in service and every replaced one (those at once, by force). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.hurry();
    await Promise.all(this.supervised.map((s) => s.close()));
  }

  private tick(): void {
    const now = this.now();
    for (const s of this.supervised) s.check(now);
  }

  /**
   * Pause the replaced worker without waiting (it fetches nothing more: classes/worker.js:683, `pause(true)`), let it
   * finish the jobs it holds for at most `graceMs` (or until the set closes), then close it by force: a graceful close
   * would wait for the wedged connection's `end` (classes/worker.js:938 `whenCurrentJobsFinished`), which never comes.
   */
  private async retire<D, R>(old: Tracked<Worker<D, R>>, log: Logger): Promise<void> {
    try {
      await old.worker.pause(true);
      const idle = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (old.active > 0) return;
          clearInterval(poll);
          resolve();
        }, 100);
        poll.unref();
        void this.closing.then(() => {
          clearInterval(poll);
          resolve();
        });
      });
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, this.settings.graceMs)));
      await Promise.race([idle, grace]);
      clearTimeout(graceTimer);
      if (old.active > 0) log.warn({ active: old.active }, 'replaced worker closed with jobs still running (they will be retried as stalled)');
      await old.worker.close(true);
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'replaced worker did not close cleanly');
    }
  }
}

/** Follow a worker's clients (once BullMQ has them) and the jobs it holds. */
function track<D, R>(worker: Worker<D, R>): Tracked<Worker<D, R>> {
  const tracked: Tracked<Worker<D, R>> = { worker, active: 0 };
  const backend = worker.getBackend();
  backend.client.then((c) => (tracked.base = c), () => undefined);
  backend.blockingClient?.then((c) => (tracked.blocking = c), () => undefined);
  worker.on('active', () => void tracked.active++);
  const finished = (): void => void (tracked.active = Math.max(0, tracked.active - 1));
  worker.on('completed', finished);
  worker.on('failed', (job) => job && finished());
  return tracked;
}
