import { Router, type Express } from 'express';
import type { StoreConnection } from './store/redis-cluster';
import { probeStore } from './store/store-probe';
import { buildHandlers } from '../handlers';
import { buildServices } from './app/build-services';
import { importOrgFileAtStart, reconcileAll } from './app/start-up-passes';
import { Dispatcher } from './app/dispatcher';
import { buildHandlerServices } from './app/handler-services';
import { HolidayWatch } from './app/holiday-watch';
import type { Services } from './app/services';
import type { Config } from './config';
import { adminRouter } from './http/admin';
import { createHttpApp } from './http/app';
import { QueueGauges } from './http/queue-gauges';
import { createReports } from './http/reports';
import { ReportLinks } from './http/reports/links';
import { SigningKeySource } from './http/reports/signing-key';
import { HttpServer } from './http/server';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import type { DingTalkPlatform } from './platforms/dingtalk';
import { loadDingTalk } from './platforms/dingtalk/load';
import type { FeishuPlatform } from './platforms/feishu';
import { loadFeishu } from './platforms/feishu/load';
import type { PlatformContext, PlatformModule } from './platforms/module';
import { createSandbox, type SandboxPlatform } from './platforms/sandbox';
import { startBotWorkers } from './queue/bot-workers';
import { InboundQueue } from './queue/inbound-queue';
import { createQueues, type QueueSet } from './queue/queues';
import type { WorkerSet } from './queue/workers';
import { Connections } from './store/connections';
import { redisTarget } from './store/redis-target';
import { platformStores } from './store/platform-state/stores';
import { RatePacer } from './store/rate-pacer';
import { warnAboutRedisSettings } from './store/redis';
import { configPrefixes, configRecordKeys } from './store/key-prefixes';
import type { Keys } from './store/keys';
import { loadLegacyBuckets } from './store/backup/record-space';

export interface BotOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Run the queue workers in this process (default true). */
  readonly workers?: boolean;
}

/**
 * The composition root: config → Redis → store → queues → services → platforms → handlers → http, and only that
 * (docs/architecture.md). `src/main.ts` runs it; tests build it with their own key prefix and clock.
 */
export class Bot {
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly http: Express;
  readonly metrics: Metrics;
  readonly queues: QueueSet;
  readonly inbound: InboundQueue;
  /** Signs and checks the links of report pages (src/http/reports/links.ts). */
  readonly reportLinks: ReportLinks;
  readonly redis: StoreConnection;
  readonly pacer: RatePacer;
  readonly holidayWatch: HolidayWatch;
  readonly sandbox?: SandboxPlatform;
  /** The start-up re-planning pass (runs after the bot is ready). */
  reconciled: Promise<number> = Promise.resolve(0);
  private workers?: WorkerSet;
  private feishuPlatform?: FeishuPlatform;
  private dingtalkPlatform?: DingTalkPlatform;
  private readonly running: PlatformModule[];
  /** What every platform is built from (src/platforms/module.ts); Feishu and DingTalk are built by `start`. */
  private readonly platformContext: PlatformContext;
  /** Where the routes of the platforms built by `start` are mounted: first, as every platform's webhooks are. */
  private readonly lateRoutes = Router();
  private loaded?: Promise<void>;
  private readonly server: HttpServer;
  private readonly connections: Connections;
  /** The records' key builder (src/store/keys.ts), shared by every repository of this process. */
  private readonly keys: Keys;
  private initialized = false;
  private stopped = false;

  constructor(private readonly options: BotOptions) {
    const { config, log } = options;
    const clock = options.clock ?? Date.now;
    this.connections = new Connections(redisTarget(config), log);
    this.redis = this.connections.store;
    const { records: prefix, queues: queuePrefix } = configPrefixes(config);
    this.keys = configRecordKeys(config);
    this.metrics = new Metrics({ defaults: config.NODE_ENV !== 'test' });
    this.queues = createQueues(this.connections.producers, queuePrefix);
    this.queues.onError((err, queue) => log.debug({ err: err.message, queue }, 'queue error'));
    this.inbound = new InboundQueue(this.queues.inbound);
    this.reportLinks = new ReportLinks(new SigningKeySource(this.redis, prefix, config.REPORT_SIGNING_KEY), config);
    const services = buildServices({ config, log, clock, keys: this.keys, redis: this.redis, tx: this.connections.tx, queues: this.queues, metrics: this.metrics, reportLinks: this.reportLinks });
    this.services = services;
    this.dispatcher = new Dispatcher(services, buildHandlerServices(services), buildHandlers(), (platform, seconds) => this.metrics.callbacks.observe({ platform }, seconds));
    this.holidayWatch = new HolidayWatch({ ...services, contexts: services.planContexts, log: log.child({ component: 'holidays' }) });
    this.pacer = new RatePacer(this.redis, this.keys);

    this.platformContext = {
      config,
      inbound: { message: (m) => this.inbound.message(m), roster: (chat, eventId) => this.inbound.roster(chat, eventId), action: (a) => this.dispatcher.processAction(a), file: (job) => this.inbound.file(job) },
      files: services.materials,
      pacer: this.pacer,
      records: services.chats,
      state: platformStores(this.connections, config, log, this.keys),
      defer: async (work, o) => void (await this.queues.tally.add('flush', { ...work }, { jobId: o.id, delay: o.delayMs })),
      notify: (chat, text, key) => services.outbox.text(chat, text, key),
      clock,
      log,
    };
    // The console is built here (it needs no SDK); Feishu and DingTalk when `start` loads them (loadPlatforms).
    this.sandbox = createSandbox(this.platformContext);
    this.running = this.sandbox ? [this.sandbox] : [];
    if (this.sandbox) services.platforms.register(this.sandbox.port);

    // Queue depths for /metrics, counted at most once per METRICS_QUEUE_REFRESH_SECONDS however often it is scraped.
    const gauges = new QueueGauges({ queues: this.queues.gauged(), metrics: this.metrics, maxAgeMs: config.METRICS_QUEUE_REFRESH_SECONDS * 1000, log });
    this.http = createHttpApp({
      // Platform webhooks first: a card click should not walk the admin API's routes before reaching its own.
      routers: [this.lateRoutes, ...(this.sandbox ? [this.sandbox.router()] : []), adminRouter(services), createReports(services, this.reportLinks)],
      metrics: this.metrics,
      log,
      // Redis answers (on a cluster every master of the slot map: records are tagged by chat, any master holds some).
      ready: async () => {
        if (!this.initialized) return { ready: false };
        const store = await probeStore(this.redis);
        if (!store.ok) return { ready: false, failedMasters: store.failedMasters, uncoveredSlots: store.uncoveredSlots };
        return { ready: options.workers === false || Boolean(this.workers?.running()) };
      },
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
      beforeMetrics: () => gauges.refresh(),
    });
    this.server = new HttpServer(this.http);
  }

  get feishu(): FeishuPlatform | undefined {
    return this.feishuPlatform;
  }

  get dingtalk(): DingTalkPlatform | undefined {
    return this.dingtalkPlatform;
  }

  /** The platforms this process runs, each the same shape (src/platforms/module.ts); Feishu, DingTalk from `start`. */
  get platforms(): readonly PlatformModule[] {
    return this.running;
  }

  /**
   * Load the configured platforms (Feishu, DingTalk), listen at once (so /healthz answers and /readyz says 503), wait
   * for Redis with backoff, make sure each series has its scheduler, start the workers and the platforms, then
   * re-plan every open duty and the follow-ups of closed ones (idempotent).
   */
  async start(port = this.options.config.PORT, host = this.options.config.HOST): Promise<number> {
    const { log, config } = this.options;
    await this.loadPlatforms();
    const bound = await this.server.listen(port, host);
    await this.connections.ready(() => this.stopped);
    // Ids imported from before ids carried their chat's bucket (src/store/keys.ts), before any record is read.
    const legacy = await loadLegacyBuckets(this.redis, this.keys);
    if (legacy > 0) log.info({ legacy }, 'legacy record ids loaded');
    await warnAboutRedisSettings(this.redis, log);
    await this.services.seriesService.ensureSchedulers();
    // Rosters are refreshed at least daily (and on member events), once across all processes.
    await this.inbound.scheduleRosterRefresh(config.BOT_TIMEZONE);
    await this.inbound.scheduleComplianceChecks(config.BOT_TIMEZONE);
    await this.inbound.scheduleCircularChecks(config.BOT_TIMEZONE);
    this.holidayWatch.start();
    await this.importOrgFile();
    if (this.options.workers !== false) this.startWorkers();
    for (const platform of this.platforms) await platform.start();
    this.initialized = true;
    // Re-plan every open duty after readiness (the records are the truth: a lost queue key comes back here).
    // Errors are reported, never thrown: a bad pass must not take the running bot down.
    this.reconciled = this.reconcile().catch((err: unknown) => {
      log.error({ err }, 'start-up re-planning failed');
      return 0;
    });
    return bound;
  }

  /**
   * Build Feishu and DingTalk, each loaded only when configured (src/platforms/<name>/load.ts: their SDKs take some
   * 35 MB of memory that the console never uses, bench:startup T2). Before `listen`, so that their webhooks answer
   * from the first request; their routes come before the console's, as they always did.
   */
  private loadPlatforms(): Promise<void> {
    this.loaded ??= (async () => {
      this.feishuPlatform = await loadFeishu(this.platformContext);
      this.dingtalkPlatform = await loadDingTalk(this.platformContext);
      const built = [this.feishuPlatform, this.dingtalkPlatform].filter((p): p is NonNullable<typeof p> => p !== undefined);
      for (const platform of built) {
        this.services.platforms.register(platform.port);
        this.lateRoutes.use(platform.router());
      }
      this.running.unshift(...built);
    })();
    return this.loaded;
  }

  /** data/org.yaml (or ORG_FILE) imported when changed (src/app/start-up-passes.ts). */
  importOrgFile(): Promise<void> {
    return importOrgFileAtStart(this.services, this.options.config, this.options.log);
  }

  startWorkers(): void {
    const deferring = this.platforms.find((p) => p.runDeferred);
    this.workers ??= startBotWorkers({
      services: this.services,
      dispatcher: () => this.dispatcher,
      connection: this.connections.workers,
      metrics: this.metrics,
      log: this.options.log,
      ...(deferring?.runDeferred ? { deferred: (work) => deferring.runDeferred?.(work) ?? Promise.resolve('no platform') } : {}),
      file: (job, delivery) => this.platforms.find((p) => p.name === job.chat.platform)?.receiveFile?.(job, delivery) ?? Promise.resolve(`no file handler on ${job.chat.platform}`),
    });
  }

  async stopWorkers(): Promise<void> {
    await this.workers?.close();
    this.workers = undefined;
  }

  /** Re-plan every open duty, the follow-ups of closed ones and the ratings' closings (src/app/start-up-passes.ts). */
  reconcile(): Promise<number> {
    return reconcileAll(this.services, this.options.log);
  }

  /** Close cleanly: HTTP, platforms, workers (waiting for running jobs), queues, then Redis. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.reconciled;
    await this.server.close(() => this.platforms.forEach((p) => p.closeStreams?.()));
    for (const platform of this.platforms) await platform.stop();
    this.holidayWatch.stop();
    await this.stopWorkers();
    await this.queues.close();
    await this.connections.close();
  }
}
