import type { ConnectionOptions, Job } from 'bullmq';
import type { Dispatcher } from '../app/dispatcher';
import type { Services } from '../app/services';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { cardProcessor } from './card-worker';
import type { FileJob } from '../platforms/file-port';
import { inboundProcessor } from './inbound-worker';
import { tallyJobSchema, type TallyJob } from './queues';
import { minutesProcessor } from './minutes-worker';
import { reminderProcessor } from './reminder-worker';
import { signinProcessor } from './signin-worker';
import { watchdogSettings } from './worker-watchdog';
import { startWorkers, type WorkerSet } from './workers';
import { configPrefixes } from '../store/key-prefixes';

/** Every queue's processor over the bot's services, started together (src/queue/workers.ts). */
export function startBotWorkers(deps: {
  readonly services: Services;
  readonly dispatcher: () => Dispatcher;
  readonly connection: ConnectionOptions;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The processor of deferred platform work (DingTalk's tally posts), when a platform defers any. */
  readonly deferred?: (work: TallyJob) => Promise<string>;
  /** A file message's download, by the platform that queued it (src/platforms/module.ts `receiveFile`). */
  readonly file?: (job: FileJob, delivery: string) => Promise<string>;
}): WorkerSet {
  const { services, metrics } = deps;
  const { config } = services;
  const log = deps.log.child({ component: 'worker' });
  const workerDeps = { ...services, superadmins: config.BOT_SUPERADMINS, timeZone: config.BOT_TIMEZONE, log };
  const deferred = deps.deferred;
  return startWorkers({
    connection: deps.connection,
    keyPrefix: configPrefixes(config).queues,
    concurrency: config.REMINDER_CONCURRENCY,
    watchdog: watchdogSettings(config.WORKER_WATCHDOG_SECONDS),
    reminder: reminderProcessor(workerDeps),
    card: cardProcessor(workerDeps),
    inbound: inboundProcessor({ dispatcher: deps.dispatcher, roster: services.roster, chats: services.chats, platforms: services.platforms, log, complianceCheck: () => services.complianceWarnings.run(services.clock()), circularCheck: () => services.circularAuto.run(services.clock()), ...(deps.file ? { file: deps.file } : {}) }),
    minutes: minutesProcessor(workerDeps),
    series: async (job) => `created ${(await services.seriesService.materialize(job.data.seriesId, services.clock())).length}`,
    signin: signinProcessor({ duties: services.duties, signin: services.signin, outbox: services.outbox, log }),
    ...(deferred ? { tally: (job: Job<TallyJob>) => deferred(tallyJobSchema.parse(job.data)) } : {}),
    metrics,
    log: deps.log,
  });
}
