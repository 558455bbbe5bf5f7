import { createHash, createHmac } from 'node:crypto';
import express, { type Router } from 'express';
import type { Config } from '../../config';
import type { ChatRef } from '../../domain/types';
import type { Logger } from '../../logger';
import type { DeferredWork, PlatformContext, PlatformModule } from '../module';
import type { Pacer } from '../pacer';
import type { FileInbound, FileJob } from '../file-port';
import type { Inbound, PlatformPort, RichText } from '../port';
import { DingTalkApi } from './api';
import { CardShown } from './card-shown';
import { DingTalkClient } from './client';
import { DingTalkFiles } from './file-download';
import { DingTalkMembers } from './members';
import { ApiQuota } from './quota';
import { DingTalkReceiver } from './receiver';
import type { DingTalkRecords } from './records';
import { SignatureLedger } from './signature-ledger';
import type { DingTalkState } from './state';
import { DingTalkStream } from './stream';
import { TallyPoster } from './tally';
import { AccessTokens } from './token';

export interface DingTalkPlatformDeps {
  /** What the adapter keeps for every process (session webhooks, sends, card state, quota, …): state.ts. */
  readonly state: DingTalkState;
  /** The deferred queue (`dingtalk-tally`, its worker started with the others, src/queue/workers.ts), run by `runDeferred`. */
  readonly defer: PlatformContext['defer'];
  readonly pacer: Pacer;
  /** Names, titles, active groups, admin flags and the cached roster: the chat records (ChatRepo). */
  readonly chats: DingTalkRecords;
  /** Messages are queued (ack first, then work); card clicks answered at once. */
  readonly inbound: Pick<Inbound, 'message' | 'action' | 'file'>;
  /** Where files and pictures sent to the robot go (the materials, issue 14). */
  readonly files?: FileInbound;
  /** Post a text through the outbox (the quota warning). */
  readonly notify: (chat: ChatRef, text: RichText, key: string) => Promise<void>;
  readonly clock: () => number;
  readonly log: Logger;
  readonly memberPageSize?: number;
  readonly streamBackoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** Groups that used the bot within this window hear the quota warning. */
const ACTIVE_WINDOW_MS = 30 * 24 * 3600 * 1000;

/**
 * The DingTalk platform: the paced client (the port), the receiver (Stream connection or HTTP routes), the tally
 * poster of template-less groups, and the monthly quota counter. Setting DINGTALK_CLIENT_ID and _SECRET turns it on.
 */
export class DingTalkPlatform implements PlatformModule {
  readonly name = 'dingtalk' as const;
  readonly client: DingTalkClient;
  readonly receiver: DingTalkReceiver;
  readonly stream?: DingTalkStream;
  readonly quota: ApiQuota;
  private readonly tally: TallyPoster;
  private readonly files?: DingTalkFiles;
  private route?: Promise<string>;

  constructor(
    private readonly config: Config,
    private readonly deps: DingTalkPlatformDeps,
  ) {
    const clientId = config.DINGTALK_CLIENT_ID;
    const clientSecret = config.DINGTALK_CLIENT_SECRET;
    if (!clientId || !clientSecret) throw new Error('DingTalk needs DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET');
    const robotCode = config.DINGTALK_ROBOT_CODE ?? clientId;
    const { log, state, chats } = deps;
    const tokens = new AccessTokens({ clientId, clientSecret, apiBase: config.DINGTALK_API_BASE, timeoutMs: 10_000, clock: Date.now });
    this.quota = new ApiQuota(state.quota, {
      limit: config.DINGTALK_MONTHLY_API_QUOTA,
      timeZone: config.BOT_TIMEZONE,
      clock: deps.clock,
      onThreshold: (used, limit, month) => this.warnQuota(used, limit, month),
      log,
    });
    const api = new DingTalkApi({ clientId, apiBase: config.DINGTALK_API_BASE, oapiBase: config.DINGTALK_OAPI_BASE, tokens, pacer: deps.pacer, quota: this.quota, log });
    this.tally = new TallyPoster({
      buffer: state.tally,
      defer: deps.defer,
      intervalMs: config.DINGTALK_TALLY_INTERVAL_SECONDS * 1000,
      post: (chatId, content) => this.client.postMarkdown(chatId, content),
    });
    const stream = config.DINGTALK_MODE === 'stream';
    const shown = new CardShown(state.shown);
    this.client = new DingTalkClient({
      robotCode,
      ...(config.DINGTALK_CARD_TEMPLATE_ID ? { templateId: config.DINGTALK_CARD_TEMPLATE_ID } : {}),
      callbackType: stream ? 'STREAM' : 'HTTP',
      callbackRoute: () => this.callbackRoute(api),
      namespace: `${config.REDIS_KEY_PREFIX}|${clientId}`,
      api,
      records: chats,
      state,
      members: new DingTalkMembers(api, state.groups, chats, log, deps.memberPageSize),
      tally: this.tally,
      shown,
      clock: deps.clock,
      log,
    });
    if (deps.files) this.files = new DingTalkFiles({ api, robotCode, files: deps.files, queue: (job) => deps.inbound.file(job), timeZone: config.BOT_TIMEZONE, log });
    this.receiver = new DingTalkReceiver({
      appSecret: clientSecret,
      apiSecret: this.apiSecret(),
      botName: config.BOT_NAME,
      robotCode,
      webhookOrigin: new URL(config.DINGTALK_OAPI_BASE).origin,
      inbound: deps.inbound,
      ...(this.files ? { files: this.files } : {}),
      memberOf: (chatId, id) => chats.member({ platform: 'dingtalk', chatId }, id),
      records: chats,
      state,
      ledger: new SignatureLedger(state.signatures),
      shown,
      clock: deps.clock,
      log,
    });
    if (!stream && config.DINGTALK_CARD_TEMPLATE_ID && !config.PUBLIC_BASE_URL) {
      log.warn('DingTalk HTTP mode with a card template needs PUBLIC_BASE_URL: card clicks are sent to <PUBLIC_BASE_URL>/dingtalk/card');
    }
    if (stream) {
      this.stream = new DingTalkStream({
        clientId,
        clientSecret,
        apiBase: config.DINGTALK_API_BASE,
        tokens,
        handlers: { onRobotMessage: (p) => this.receiver.onRobotMessage(p), onCardCallback: (p, id) => this.receiver.onCardCallback(p, id) },
        log,
        ...(deps.streamBackoff ? { backoff: deps.streamBackoff } : {}),
      });
    }
  }

  /** HTTP mode: `POST /dingtalk/events` and `POST /dingtalk/card`. Stream mode exposes no route. */
  router(): Router {
    return this.config.DINGTALK_MODE === 'http' ? this.receiver.router() : express.Router();
  }

  get port(): PlatformPort {
    return this.client;
  }

  /** Open the Stream connection, which retries on its own. */
  async start(): Promise<void> {
    void this.stream?.connect();
  }

  async stop(): Promise<void> {
    this.stream?.disconnect();
  }

  /** A file queued by the receiver, downloaded from the inbound queue (src/platforms/dingtalk/file-download.ts). */
  async receiveFile(job: FileJob, delivery: string): Promise<string> {
    return this.files ? this.files.run(job.chat, job.messageId, job.payload, delivery) : 'dingtalk files are off';
  }

  /** The deferred queue's processor: post a card's newest tally (a throw is retried with the platform backoff). */
  runDeferred(work: DeferredWork): Promise<string> {
    return this.tally.flush(work.chatId, work.key);
  }

  /** The secret our HTTP card-callback route is registered with (derived, so the client secret is not re-sent). */
  private apiSecret(): string {
    return createHmac('sha256', this.config.DINGTALK_CLIENT_SECRET ?? '').update('luoshi card callbacks').digest('base64url').slice(0, 32);
  }

  /**
   * HTTP card callbacks need a registered route (https://open.dingtalk.com/document/development/register-card-callback-address),
   * made once per URL and remembered for 30 days.
   */
  private callbackRoute(api: DingTalkApi): Promise<string> {
    const base = this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`;
    const url = `${base}/dingtalk/card`;
    const key = `luoshi${createHash('sha1').update(url).digest('hex').slice(0, 16)}`;
    this.route ??= (async () => {
      if ((await this.deps.state.callbacks.route(key)) === url) return key;
      await api.call({
        method: 'POST',
        base: 'api',
        path: '/v1.0/card/callbacks/register',
        body: { callbackRouteKey: key, callbackUrl: url, apiSecret: this.apiSecret(), forceUpdate: true },
      });
      await this.deps.state.callbacks.saveRoute(key, url);
      return key;
    })().catch((err: unknown) => {
      this.route = undefined;
      throw err;
    });
    return this.route;
  }

  private async warnQuota(used: number, limit: number, month: string): Promise<void> {
    const groups = await this.deps.chats.activeSince('dingtalk', this.deps.clock() - ACTIVE_WINDOW_MS);
    const text = `⚠️ 提醒党务管理员：本月（${month}）钉钉开放接口已调用 ${used} 次，达到月度额度 ${limit} 次的 80%。额度用完后，提醒和卡片将无法发出；请联系本单位钉钉管理员升级版本或增加额度。`;
    for (const chatId of groups) {
      await this.deps.notify({ platform: 'dingtalk', chatId }, [{ text }], `dingtalk-quota-${month}-${chatId}`);
    }
  }
}

/** DingTalk, when DINGTALK_CLIENT_ID is set (README "DingTalk"). */
export function createDingTalk(ctx: PlatformContext): DingTalkPlatform | undefined {
  if (!ctx.config.DINGTALK_CLIENT_ID) return undefined;
  return new DingTalkPlatform(ctx.config, {
    state: ctx.state.dingtalk(),
    defer: ctx.defer,
    pacer: ctx.pacer,
    chats: ctx.records,
    inbound: ctx.inbound,
    files: ctx.files,
    notify: ctx.notify,
    clock: ctx.clock,
    log: ctx.log.child({ platform: 'dingtalk' }),
  });
}
