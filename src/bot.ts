import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import type { Express, Router } from 'express';
import type { Redis } from 'ioredis';
import { buildHandlers } from '../handlers';
import { Dispatcher } from './app/dispatcher';
import { buildHandlerServices } from './app/handler-services';
import { DutyService } from './app/duty-service';
import { DutyViews } from './app/duty-views';
import { HolidayWatch } from './app/holiday-watch';
import { NudgeService } from './app/nudges';
import { parseQuietHours } from './domain/quiet-hours';
import { PlanContexts } from './app/plan-context';
import { PlatformRegistry } from './app/platform-registry';
import { RosterService } from './app/roster';
import type { Services } from './app/services';
import type { Config } from './config';
import { createHttpApp } from './http/app';
import { replanOpenDuties } from './app/reconcile';
import { Metrics } from './metrics';
import { QueueGauges } from './http/queue-gauges';
import type { Logger } from './logger';
import { cardProcessor } from './queue/card-worker';
import { inboundProcessor } from './queue/inbound-worker';
import { Outbox } from './queue/outbox';
import { InboundQueue } from './queue/inbound-queue';
import { createQueues, tallyJobSchema, type QueueSet, type TallyJob } from './queue/queues';
import { ReminderPlanner } from './queue/reminder-planner';
import { reminderProcessor } from './queue/reminder-worker';
import { startWorkers, type WorkerSet } from './queue/workers';
import { FeishuPlatform } from './platforms/feishu';
import { DingTalkPlatform } from './platforms/dingtalk';
import { SandboxClient } from './platforms/sandbox/client';
import { SandboxReceiver } from './platforms/sandbox/receiver';
import { seedSandbox } from './platforms/sandbox/seed';
import { ChatRepo } from './store/chat-repo';
import { Dedupe } from './store/dedupe';
import { DutyRepo } from './store/duty-repo';
import { Connections } from './store/connections';
import { dingtalkState } from './store/platform-state/dingtalk-state';
import { type TxPool, warnAboutRedisSettings } from './store/redis';
import { RatePacer } from './store/rate-pacer';
import { logDamaged } from './store/records';
import { SandboxRepo } from './store/sandbox-repo';
import { CampaignRepo } from './store/campaign-repo';
import { SeriesRepo } from './store/series-repo';
import { SeriesService } from './app/series-service';
import { adminRouter } from './http/admin';
import { createReports } from './http/reports';
import { DraftRepo } from './store/draft-repo';
import { ReportLinks } from './http/reports/links';
import { SigningKeySource } from './http/reports/signing-key';
import { StatsService } from './app/stats-service';
import { NudgeThrottle } from './store/nudge-throttle';
import { SentLog } from './store/sent-log';
import { calendarFromFiles, defaultCalendar } from './store/holiday-files';

export interface BotOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Run the queue workers in this process (default true). */
  readonly workers?: boolean;
}

/** How long a stop waits for HTTP requests still running before closing their sockets. */
const STOP_GRACE_MS = 500;

/**
 * The composition root: config → Redis → store → queues → platforms → handlers → http. `src/main.ts` runs it;
 * tests build it with their own key prefix and clock.
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
  readonly redis: Redis;
  readonly sandbox?: { repo: SandboxRepo; client: SandboxClient; receiver: SandboxReceiver };
  readonly feishu?: FeishuPlatform;
  readonly dingtalk?: DingTalkPlatform;
  readonly pacer: RatePacer;
  readonly holidayWatch: HolidayWatch;
  private workers?: WorkerSet;
  private server?: Server;
  private readonly tx: TxPool;
  private readonly connections: Connections;
  private initialized = false;
  /** The start-up re-planning pass (runs after the bot is ready). */
  reconciled: Promise<number> = Promise.resolve(0);
  private stopped = false;

  constructor(private readonly options: BotOptions) {
    const { config, log } = options;
    const clock = options.clock ?? Date.now;
    this.connections = new Connections(config.REDIS_URL, log);
    this.redis = this.connections.store;
    this.tx = this.connections.tx;
    const prefix = config.REDIS_KEY_PREFIX;
    this.metrics = new Metrics({ defaults: config.NODE_ENV !== 'test' });
    this.queues = createQueues(this.connections.producers, prefix);
    this.inbound = new InboundQueue(this.queues.inbound);
    for (const q of [this.queues.reminders, this.queues.cards, this.queues.inbound, this.queues.series, this.queues.tally]) {
      q.on('error', (err: Error) => log.debug({ err: err.message, queue: q.name }, 'queue error'));
    }

    this.reportLinks = new ReportLinks(new SigningKeySource(this.redis, prefix, config.REPORT_SIGNING_KEY), config);
    // Lists leave out records that do not parse and log each with its key (src/store/records.ts).
    const damaged = logDamaged(log.child({ component: 'store' }));
    const duties = new DutyRepo(this.redis, this.tx, prefix, damaged);
    const chats = new ChatRepo(this.redis, prefix, Date.now, damaged);
    const platforms = new PlatformRegistry(this.metrics);
    const roster = new RosterService(chats, platforms, clock);
    const calendar = config.HOLIDAY_OVERRIDE_DIR ? calendarFromFiles(config.HOLIDAY_OVERRIDE_DIR) : defaultCalendar();
    const planContexts = new PlanContexts(chats, calendar, config.BOT_TIMEZONE, parseQuietHours(config.DEFAULT_QUIET_HOURS));
    const planner = new ReminderPlanner(this.queues.reminders, planContexts, log.child({ component: 'planner' }), (n) => this.metrics.planned.inc(n));
    const outbox = new Outbox(this.queues.cards);
    const views = new DutyViews(duties, roster, config.BOT_TIMEZONE);
    const campaigns = new CampaignRepo(this.redis, prefix, damaged);
    const seriesRepo = new SeriesRepo(this.redis, this.tx, prefix, damaged);
    const dutyService = new DutyService({ config, duties, chats, roster, planner, outbox, campaigns });
    this.services = {
      config,
      log,
      clock,
      duties,
      chats,
      dedupe: new Dedupe(this.redis, prefix),
      sent: new SentLog(this.redis, prefix),
      planner,
      outbox,
      platforms,
      roster,
      views,
      dutyService,
      planContexts,
      calendar,
      campaigns,
      drafts: new DraftRepo(this.redis, prefix, damaged),
      // Chat names (the 支部 column) come from the store, else the platform (the sandbox knows its own).
      stats: new StatsService({ duties, chats, roster, log, chatName: (chat) => roster.chatName(chat) }),
      reportLinks: this.reportLinks,
      seriesRepo,
      seriesService: new SeriesService({ config, series: seriesRepo, dutyService, calendar, queue: this.queues.series, log: log.child({ component: 'series' }) }),
      nudges: new NudgeService({ duties, views, chats, roster, platforms, throttle: new NudgeThrottle(this.redis, prefix), timeZone: config.BOT_TIMEZONE }),
    };
    this.dispatcher = new Dispatcher(this.services, buildHandlerServices(this.services), buildHandlers(), (platform, seconds) => this.metrics.callbacks.observe({ platform }, seconds));
    this.holidayWatch = new HolidayWatch({ calendar, duties, planner, contexts: planContexts, clock, log: log.child({ component: 'holidays' }) });

    // Platform webhooks first: a card click should not walk the admin API's routes before reaching its own.
    const routers: Router[] = [];

    this.pacer = new RatePacer(this.redis, prefix);
    if (config.FEISHU_APP_ID) {
      const feishu = new FeishuPlatform(config, {
        pacer: this.pacer,
        dispatcher: this.dispatcher,
        enqueueMessage: async (message) => {
          await this.inbound.message(message);
        },
        enqueueRoster: async (chatId, eventId) => {
          await this.inbound.roster({ platform: 'feishu', chatId }, eventId);
        },
        memberOf: (chatId, id) => chats.member({ platform: 'feishu', chatId }, id),
        clock,
        log: log.child({ platform: 'feishu' }),
      });
      platforms.register(feishu.client);
      routers.push(feishu.router());
      this.feishu = feishu;
    }
    if (config.DINGTALK_CLIENT_ID) {
      const dingtalk = new DingTalkPlatform(config, {
        state: dingtalkState(this.redis, prefix),
        tallyQueue: this.queues.tally,
        pacer: this.pacer,
        dispatcher: this.dispatcher,
        chats,
        enqueueMessage: async (message) => {
          await this.inbound.message(message);
        },
        notify: (chat, text, key) => this.services.outbox.text(chat, text, key),
        clock,
        log: log.child({ platform: 'dingtalk' }),
      });
      platforms.register(dingtalk.client);
      routers.push(dingtalk.router());
      this.dingtalk = dingtalk;
    }
    if (config.sandbox) {
      const repo = new SandboxRepo(this.redis, this.tx, prefix, { historyCap: config.SANDBOX_HISTORY_LIMIT, report: damaged });
      const client = new SandboxClient(repo, clock);
      platforms.register(client);
      const receiver = new SandboxReceiver({
        repo,
        client,
        inbound: { message: (m) => this.inbound.message(m), action: (a) => this.dispatcher.processAction(a) },
        subscriber: this.connections.subscriber('sandbox events'),
        botName: config.BOT_NAME,
        timeZone: config.BOT_TIMEZONE,
        hosts: { listenHost: config.HOST, ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}), extra: config.SANDBOX_ALLOWED_HOSTS },
        maxStreams: config.SANDBOX_MAX_STREAMS,
        clock,
        log: log.child({ platform: 'sandbox' }),
      });
      routers.push(receiver.router());
      this.sandbox = { repo, client, receiver };
    }
    routers.push(adminRouter(this.services), createReports(this.services, this.reportLinks));
    // Queue depths for /metrics, counted at most once per METRICS_QUEUE_REFRESH_SECONDS however often it is scraped.
    const queueGauges = new QueueGauges({
      queues: [
        ['reminders', this.queues.reminders],
        ['cards', this.queues.cards],
        ['tally', this.queues.tally],
      ],
      metrics: this.metrics,
      maxAgeMs: config.METRICS_QUEUE_REFRESH_SECONDS * 1000,
      log,
    });
    this.http = createHttpApp({
      routers,
      metrics: this.metrics,
      log,
      ready: async () =>
        this.initialized && (await this.redis.ping()) === 'PONG' && (this.options.workers === false || Boolean(this.workers?.running())),
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
      beforeMetrics: () => queueGauges.refresh(),
    });
  }

  /**
   * Listen at once (so /healthz answers and /readyz says 503), wait for Redis with backoff, then seed the sandbox,
   * re-plan every open duty (idempotent), make sure each series has its scheduler and start the workers.
   */
  async start(port = this.options.config.PORT, host = this.options.config.HOST): Promise<number> {
    const { log } = this.options;
    const bound = await this.listen(port, host);
    await this.connections.ready(() => this.stopped);
    if (this.sandbox) {
      const created = await seedSandbox({ repo: this.sandbox.repo, chats: this.services.chats, demo: this.options.config.SANDBOX_DEMO, now: this.services.clock() });
      if (created.length > 0) log.info({ chats: created }, `sandbox: demo chats ${created.join('、')} created`);
      await this.sandbox.receiver.start();
    }
    await warnAboutRedisSettings(this.redis, log);
    const thisYear = new Date(this.services.clock()).getUTCFullYear();
    const guessed = this.services.calendar.guessedYears({ from: thisYear, to: thisYear + 1 });
    if (guessed.length > 0) {
      log.warn({ years: guessed }, `${guessed.join('、')}年的节假日安排尚未收录：按周一至周五推算（含法定节日），可在 data/holidays/<年>.json 补充`);
    }
    await this.services.seriesService.ensureSchedulers();
    // Rosters are refreshed at least daily (and on member events), once across all processes.
    await this.inbound.scheduleRosterRefresh(this.options.config.BOT_TIMEZONE);
    this.holidayWatch.start();
    if (this.options.workers !== false) this.startWorkers();
    await this.feishu?.start();
    this.dingtalk?.start();
    this.initialized = true;
    // Re-plan every open duty after readiness (the records are the truth: a lost queue key comes back here).
    // Errors are reported, never thrown: a bad pass must not take the running bot down.
    this.reconciled = this.reconcile().catch((err: unknown) => {
      log.error({ err }, 'start-up re-planning failed');
      return 0;
    });
    return bound;
  }

  private listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // express 5 calls back on 'error' too (with the error): then the address is null.
      const server = this.http.listen(port, host, (err?: Error) => (err ? reject(err) : resolve((server.address() as AddressInfo).port)));
      server.on('error', reject);
      this.server = server;
    });
  }

  startWorkers(): void {
    if (this.workers) return;
    const deps = {
      ...this.services,
      superadmins: this.options.config.BOT_SUPERADMINS,
      timeZone: this.options.config.BOT_TIMEZONE,
      log: this.options.log.child({ component: 'worker' }),
    };
    this.workers = startWorkers({
      connection: this.connections.workers,
      keyPrefix: this.options.config.REDIS_KEY_PREFIX,
      concurrency: this.options.config.REMINDER_CONCURRENCY,
      reminder: reminderProcessor(deps),
      card: cardProcessor(deps),
      inbound: inboundProcessor({ dispatcher: () => this.dispatcher, roster: this.services.roster, chats: this.services.chats, platforms: this.services.platforms, log: deps.log }),
      series: async (job) => `created ${(await this.services.seriesService.materialize(job.data.seriesId, this.services.clock())).length}`,
      ...(this.dingtalk ? { tally: (job: Job<TallyJob>) => this.dingtalk?.flushTally(tallyJobSchema.parse(job.data)) ?? Promise.resolve('no dingtalk') } : {}),
      metrics: this.metrics,
      log: this.options.log,
    });
  }

  async stopWorkers(): Promise<void> {
    await this.workers?.close();
    this.workers = undefined;
  }

  /** Plan every open duty again (src/app/reconcile.ts); `start` runs it after readiness. */
  reconcile(): Promise<number> {
    return replanOpenDuties({ ...this.services, log: this.options.log }, this.services.clock());
  }

  /** Close cleanly: HTTP, workers (waiting for running jobs), queues, then Redis. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.reconciled;
    const server = this.server;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // `close` waits for every connection to end, and a console's event stream never ends by itself: end the streams,
    // drop the idle keep-alive sockets, give requests still running STOP_GRACE_MS, then close what is left.
    this.sandbox?.receiver.closeStreams();
    server?.closeIdleConnections();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    server?.closeAllConnections();
    await closed;
    await this.sandbox?.receiver.stop();
    this.feishu?.stop();
    this.dingtalk?.stop();
    this.holidayWatch.stop();
    await this.stopWorkers();
    await this.queues.close();
    await this.connections.close();
  }
}
