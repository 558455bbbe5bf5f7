import type { Logger } from '../../logger';
import type { MentionSeen } from './decode';

/** Retries of a failed read: 1 s, 2 s, 4 s, … at most 5 minutes apart, until it succeeds or the bot stops. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 5 * 60 * 1000;
/** A mention matched by name while the open_id is unknown is logged at most this often. */
const FALLBACK_WARN_EVERY_MS = 60 * 1000;

export interface BotIdentityDeps {
  /** GET /open-apis/bot/v3/info (FeishuClient.botInfo). */
  readonly read: () => Promise<{ openId: string; name: string }>;
  /** BOT_NAME: matched against a mention's name only while the open_id could not be read yet. */
  readonly fallbackName: string;
  readonly log: Logger;
}

/**
 * Who the bot is in Feishu: its open_id, read at start from bot/v3/info. A group message is for the bot when one of
 * its `mentions[]` carries that open_id: the app's name is not an identity (the app can be renamed, an English client
 * shows another name, a member may be called 落实). If the read fails the bot still starts: it logs the failure,
 * retries with backoff, and meanwhile matches mentions by BOT_NAME, saying so in the log.
 */
export class FeishuBotIdentity {
  private openId?: string;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastFallbackWarning = 0;

  constructor(private readonly deps: BotIdentityDeps) {}

  get known(): string | undefined {
    return this.openId;
  }

  /** Read the identity; resolves after the first attempt (later attempts run in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.attempt(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  isBot(mention: MentionSeen): boolean {
    if (this.openId) return mention.openId === this.openId;
    const byName = mention.name === this.deps.fallbackName;
    if (byName && Date.now() - this.lastFallbackWarning >= FALLBACK_WARN_EVERY_MS) {
      this.lastFallbackWarning = Date.now();
      this.deps.log.warn({ name: mention.name }, "the bot's open_id is not known yet (bot/v3/info failed): a mention was matched by BOT_NAME");
    }
    return byName;
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      const info = await this.deps.read();
      this.openId = info.openId;
      this.deps.log.info({ openId: info.openId, appName: info.name }, 'feishu bot identity read (bot/v3/info)');
    } catch (err) {
      const retryInMs = Math.min(RETRY_MIN_MS * 2 ** n, RETRY_MAX_MS);
      this.deps.log.error({ err, attempt: n + 1, retryInMs }, "cannot read the bot's identity (GET /open-apis/bot/v3/info): group mentions are matched by BOT_NAME until it is read");
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.attempt(n + 1), retryInMs);
      this.timer.unref();
    }
  }
}
