import type { Router } from 'express';
import type { PlatformContext, PlatformModule } from '../module';
import type { PlatformPort } from '../port';
import { SandboxClient } from './client';
import type { ConsoleHistory } from './history';
import { SandboxReceiver } from './receiver';
import { seedSandbox } from './seed';

/**
 * The console (the sandbox platform): its chats and messages (ConsoleHistory), the port that posts to them, and
 * the page with its API and event stream. Messages said there go through the inbound queue like any platform's.
 */
export class SandboxPlatform implements PlatformModule {
  readonly name = 'sandbox' as const;
  readonly repo: ConsoleHistory;
  readonly client: SandboxClient;
  readonly receiver: SandboxReceiver;

  constructor(private readonly ctx: PlatformContext) {
    const { config, clock } = ctx;
    this.repo = ctx.state.console();
    this.client = new SandboxClient(this.repo, clock);
    this.receiver = new SandboxReceiver({
      repo: this.repo,
      client: this.client,
      inbound: ctx.inbound,
      files: ctx.files,
      subscribe: ctx.state.subscribe,
      botName: config.BOT_NAME,
      timeZone: config.BOT_TIMEZONE,
      hosts: { listenHost: config.HOST, ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}), extra: config.SANDBOX_ALLOWED_HOSTS },
      maxStreams: config.SANDBOX_MAX_STREAMS,
      clock,
      log: ctx.log.child({ platform: 'sandbox' }),
    });
  }

  get port(): PlatformPort {
    return this.client;
  }

  router(): Router {
    return this.receiver.router();
  }

  /** Create the demo chats that are missing (SANDBOX_DEMO), then follow new messages for the open consoles. */
  async start(): Promise<void> {
    const created = await seedSandbox({ repo: this.repo, chats: this.ctx.records, demo: this.ctx.config.SANDBOX_DEMO, now: this.ctx.clock() });
    if (created.length > 0) this.ctx.log.info({ chats: created }, `sandbox: demo chats ${created.join('、')} created`);
    await this.receiver.start();
  }

  closeStreams(): void {
    this.receiver.closeStreams();
  }

  async stop(): Promise<void> {
    await this.receiver.stop();
  }
}

/** The console, unless SANDBOX is off (README "Configuration"). */
export function createSandbox(ctx: PlatformContext): SandboxPlatform | undefined {
  return ctx.config.sandbox ? new SandboxPlatform(ctx) : undefined;
}
