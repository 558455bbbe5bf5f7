import * as lark from '@larksuiteoapi/node-sdk';
import type { Router } from 'express';
import type { Config } from '../../config';
import type { Member } from '../../domain/types';
import type { Logger } from '../../logger';
import type { Pacer } from '../pacer';
import type { PlatformContext, PlatformModule } from '../module';
import type { PlatformPort } from '../port';
import { FeishuBotIdentity } from './bot-identity';
import { FeishuClient } from './client';
import { FeishuFiles } from './files';
import type { FileInbound, FileJob } from '../file-port';
import { FeishuReceiver, type FeishuReceiverDeps } from './receiver';

/** How long start() waits for the first read of the bot's identity. */
const IDENTITY_WAIT_MS = 5000;

/** The Feishu platform: the paced SDK client (the port) and the receiver (webhook or long connection). */
export class FeishuPlatform implements PlatformModule {
  readonly name = 'feishu' as const;
  readonly client: FeishuClient;
  readonly receiver: FeishuReceiver;
  readonly identity: FeishuBotIdentity;
  private readonly files?: FeishuFiles;
  private ws?: lark.WSClient;

  constructor(
    private readonly config: Config,
    deps: {
      pacer: Pacer;
      inbound: FeishuReceiverDeps['inbound'];
      memberOf: (chatId: string, id: string) => Promise<Member | undefined>;
      /** Where files and images sent to the bot go (materials). */
      files?: FileInbound;
      clock: () => number;
      log: Logger;
    },
  ) {
    if (!config.FEISHU_APP_ID || !config.FEISHU_APP_SECRET) throw new Error('Feishu needs FEISHU_APP_ID and FEISHU_APP_SECRET');
    this.client = new FeishuClient({
      appId: config.FEISHU_APP_ID,
      appSecret: config.FEISHU_APP_SECRET,
      baseUrl: config.FEISHU_BASE_URL,
      pacer: deps.pacer,
      log: deps.log,
      clock: deps.clock,
    });
    if (config.FEISHU_MODE === 'webhook' && !config.FEISHU_ENCRYPT_KEY) {
      // Feishu signs pushes only when an Encrypt Key is set: without it there is no signed time to refuse old replays.
      deps.log.warn('FEISHU_ENCRYPT_KEY is not set: Feishu requests are neither encrypted nor signed, so replays are refused by event id only (24 h); set an Encrypt Key in the console');
    }
    if (deps.files) {
      const client = this.client;
      this.files = new FeishuFiles({
        files: deps.files,
        queue: (job) => deps.inbound.file(job),
        resource: (messageId, fileKey, type) => client.resource(messageId, fileKey, type),
        memberOf: deps.memberOf,
        clock: deps.clock,
        log: deps.log,
      });
    }
    this.identity = new FeishuBotIdentity({ read: () => this.client.botInfo(), fallbackName: config.BOT_NAME, log: deps.log });
    this.receiver = new FeishuReceiver({
      ...(config.FEISHU_ENCRYPT_KEY ? { encryptKey: config.FEISHU_ENCRYPT_KEY } : {}),
      ...(config.FEISHU_VERIFICATION_TOKEN ? { verificationToken: config.FEISHU_VERIFICATION_TOKEN } : {}),
      isBot: (mention) => this.identity.isBot(mention),
      inbound: deps.inbound,
      memberOf: deps.memberOf,
      ...(this.files ? { files: this.files } : {}),
      clock: deps.clock,
      log: deps.log,
    });
  }

  get port(): PlatformPort {
    return this.client;
  }

  router(): Router {
    return this.receiver.router();
  }

  /**
   * Read the bot's identity (bounded: a slow or failing read goes on in the background and does not hold the start
   * up), then open the long connection when configured.
   */
  async start(): Promise<void> {
    await Promise.race([this.identity.start(), new Promise((resolve) => setTimeout(resolve, IDENTITY_WAIT_MS).unref())]);
    this.startLongConnection();
  }

  /**
   * Long-connection mode: events and callbacks arrive over the SDK's WSClient, with no public URL. The platform
   * authenticates the socket, so frames carry no signature (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case).
   */
  startLongConnection(): void {
    if (this.config.FEISHU_MODE !== 'ws' || this.ws) return;
    this.ws = new lark.WSClient({
      appId: this.config.FEISHU_APP_ID ?? '',
      appSecret: this.config.FEISHU_APP_SECRET ?? '',
      domain: this.config.FEISHU_BASE_URL,
      loggerLevel: lark.LoggerLevel.warn,
      autoReconnect: true,
    });
    void this.ws.start({ eventDispatcher: this.receiver.events });
  }

  async stop(): Promise<void> {
    this.identity.stop();
    this.ws?.close({ force: true });
    this.ws = undefined;
  }

  /** A file message queued by the receiver, downloaded from the inbound queue. */
  async receiveFile(job: FileJob, delivery: string): Promise<string> {
    return this.files ? this.files.run(job.payload, delivery) : 'feishu files are off';
  }
}

/** Feishu, when FEISHU_APP_ID is set (README "Feishu"). */
export function createFeishu(ctx: PlatformContext): FeishuPlatform | undefined {
  if (!ctx.config.FEISHU_APP_ID) return undefined;
  return new FeishuPlatform(ctx.config, {
    pacer: ctx.pacer,
    inbound: ctx.inbound,
    memberOf: (chatId, id) => ctx.records.member({ platform: 'feishu', chatId }, id),
    files: ctx.files,
    clock: ctx.clock,
    log: ctx.log.child({ platform: 'feishu' }),
  });
}
