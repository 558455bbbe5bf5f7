import { hexId } from '../shared/ids';
import { SlidingWindow } from '../shared/sliding-window';
import { DEFAULT_BOT_NAME, DEFAULT_BOT_OPEN_ID } from './events';
import type { FakeResource } from './routes-resources';
import type { FakeChat, FakeFeishuOptions, FakeMessage } from './types';

export const DEFAULT_APP_ID = 'cli_a1b2c3d4e5f60718';
export const DEFAULT_APP_SECRET = 'secret';
export const FAKE_TENANT_KEY = '736588c9260f175e';
const UUID_WINDOW_MS = 60 * 60 * 1000;
const TOKEN_REUSE_MIN_MS = 30 * 60 * 1000;

export interface ResolvedOptions {
  appId: string;
  appSecret: string;
  tokenExpireSeconds: number;
  appPerSecond: number;
  chatPerSecond: number;
  patchPerSecondPerMessage: number;
  memberPageSize: number | undefined;
  botOpenId: string;
  botName: string;
  now: () => number;
}

export function resolveOptions(o: FakeFeishuOptions = {}): ResolvedOptions {
  return {
    appId: o.appId ?? DEFAULT_APP_ID,
    appSecret: o.appSecret ?? DEFAULT_APP_SECRET,
    tokenExpireSeconds: o.tokenExpireSeconds ?? 7200,
    appPerSecond: o.appPerSecond ?? 50,
    chatPerSecond: o.chatPerSecond ?? 5,
    patchPerSecondPerMessage: o.patchPerSecondPerMessage ?? 5,
    memberPageSize: o.memberPageSize,
    botOpenId: o.botOpenId ?? DEFAULT_BOT_OPEN_ID,
    botName: o.botName ?? DEFAULT_BOT_NAME,
    now: o.now ?? Date.now,
  };
}


/** Everything the fake platform remembers: chats, messages, uuids, tokens and the rate-limit windows. */
export class FeishuState {
  readonly chats = new Map<string, FakeChat>();
  readonly messages: FakeMessage[] = [];
  readonly cardUpdates: { token: unknown; card: unknown }[] = [];
  readonly appLimiter = new SlidingWindow();
  readonly chatLimiter = new SlidingWindow();
  readonly patchLimiter = new SlidingWindow();
  /** bot/v3/info answers with this failure while it is above 0 (then counts down). */
  botInfoFailures = 0;
  /** Files and images users sent, by key (routes-resources.ts). */
  readonly resources = new Map<string, FakeResource>();
  /** Downloads of a key answer HTTP 500 while its count is above 0 (then count down). */
  readonly resourceFailures = new Map<string, number>();
  private readonly byId = new Map<string, FakeMessage>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  /** token -> expiry (real ms). */
  private readonly tokens = new Map<string, number>();

  constructor(readonly opts: ResolvedOptions) {}

  /** Like the platform: the current token is handed out again while at least 30 min remain. */
  issueToken(): { token: string; expire: number } {
    const t = Date.now();
    for (const [token, until] of this.tokens) {
      if (until - t >= TOKEN_REUSE_MIN_MS) return { token, expire: Math.floor((until - t) / 1000) };
    }
    const token = `t-${hexId(20)}`;
    this.tokens.set(token, t + this.opts.tokenExpireSeconds * 1000);
    return { token, expire: this.opts.tokenExpireSeconds };
  }

  isTokenValid(token: string): boolean {
    const until = this.tokens.get(token);
    return until !== undefined && until > Date.now();
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  message(id: string): FakeMessage | undefined {
    return this.byId.get(id);
  }

  /** Messages users sent (pushed to the bot as events): the bot may reply to them. id -> chat id. */
  readonly userMessages = new Map<string, string>();

  /** The chat of a message the bot may reply to: its own, or one a user sent. */
  chatOfMessage(id: string): string | undefined {
    return this.byId.get(id)?.chatId ?? this.userMessages.get(id);
  }

  /** The message a uuid created within the last hour (fake clock), if any. */
  byUuid(uuid: string): FakeMessage | undefined {
    const hit = this.uuids.get(uuid);
    if (!hit || this.opts.now() - hit.at >= UUID_WINDOW_MS) return undefined;
    return this.byId.get(hit.messageId);
  }

  addMessage(m: Omit<FakeMessage, 'messageId' | 'createdAt' | 'patches'>): FakeMessage {
    const msg: FakeMessage = { messageId: `om_${hexId(16)}`, createdAt: this.opts.now(), patches: [], ...m };
    this.messages.push(msg);
    this.byId.set(msg.messageId, msg);
    if (msg.uuid !== undefined) this.uuids.set(msg.uuid, { messageId: msg.messageId, at: msg.createdAt });
    return msg;
  }

  /** The card as it currently shows: the last patch, or the original content. */
  current(msg: FakeMessage): unknown {
    return msg.patches.length > 0 ? msg.patches[msg.patches.length - 1] : msg.content;
  }
}
