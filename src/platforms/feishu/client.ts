import * as lark from '@larksuiteoapi/node-sdk';
import type { CardModel } from '../../domain/card-model';
import type { Member } from '../../domain/types';
import { PlatformError } from '../../errors';
import type { PaceBucket, Pacer } from '../pacer';
import type { MessageRef, PlatformPort, RichText, SendOptions } from '../port';
import { renderFeishuCard } from './card';
import { classifyThrown, feishuError, RATE_LIMIT_APP, RATE_LIMIT_CHAT, TOKEN_CODES } from './errors';
import { listFeishuMembers } from './members';
import { fetchResource, type FeishuResource } from './resource';
import { createFeishuSdk, type FeishuSdkOptions } from './sdk';

export interface FeishuClientOptions extends FeishuSdkOptions {
  readonly pacer: Pacer;
  readonly clock?: () => number;
}

/** Platform limits (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control): 50/s per app,
 * 5/s per chat shared by all bots, 5/s per message for patches. We pace a little under each. */
export const PACE = { appIntervalMs: 21, chatIntervalMs: 250, messageIntervalMs: 250 } as const;

/** Feishu allows card edits for 14 days (https://open.feishu.cn/document/server-docs/im-v1/message-card/patch). */
export const FEISHU_EDIT_WINDOW_MS = 14 * 24 * 3600 * 1000;

/** Reply targets that no longer exist: recalled, deleted, or unknown (https://open.feishu.cn/document/server-docs/im-v1/message/reply). */
const REPLY_TARGET_GONE = new Set([230011, 230110, 230001]);

interface ApiResult {
  code?: number;
  msg?: string;
  data?: unknown;
  /** bot/v3/info answers with `bot` beside `code`, not inside `data`. */
  bot?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Escape what Feishu's text messages would read as markup in user-written text: `<at …>` tags, and `[text](url)`
 * links (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/create_json#text).
 */
export const escapeText = (s: string): string => s.replace(/</g, '＜').replace(/>/g, '＞').replace(/\[/g, '［').replace(/\]/g, '］');

export class FeishuClient implements PlatformPort {
  readonly name = 'feishu' as const;
  readonly cardEditWindowMs = FEISHU_EDIT_WINDOW_MS;
  readonly sdk: lark.Client;
  private readonly cache = new lark.DefaultCache();
  private readonly clock: () => number;

  constructor(private readonly options: FeishuClientOptions) {
    this.clock = options.clock ?? Date.now;
    this.sdk = createFeishuSdk(options, this.cache);
  }

  /**
   * One paced API call: waits for its slot (app, chat, message buckets), checks the business `code` (the SDK
   * resolves HTTP 200 with code≠0), and on a token error drops the cached token and tries once more
   * (the SDK never invalidates it itself).
   */
  private async call(buckets: { chat?: string; message?: string }, fn: () => Promise<unknown>): Promise<ApiResult> {
    const pace: PaceBucket[] = [{ name: `feishu:${this.options.appId}:app`, intervalMs: PACE.appIntervalMs }];
    if (buckets.chat) pace.push({ name: `feishu:${this.options.appId}:chat:${buckets.chat}`, intervalMs: PACE.chatIntervalMs });
    if (buckets.message) pace.push({ name: `feishu:${this.options.appId}:msg:${buckets.message}`, intervalMs: PACE.messageIntervalMs });
    for (let attempt = 0; ; attempt++) {
      await this.options.pacer.acquire(pace);
      let error: PlatformError;
      try {
        const res = await fn();
        const body: ApiResult = isRecord(res) ? (res as ApiResult) : {};
        if (body.code === undefined || body.code === 0) return body;
        error = feishuError(body.code, body.msg ?? '');
      } catch (err) {
        error = classifyThrown(err);
      }
      if (typeof error.platformCode === 'number' && TOKEN_CODES.has(error.platformCode) && attempt === 0) {
        await this.cache.set(lark.CTenantAccessToken, '', 0, { namespace: this.options.appId });
        continue;
      }
      if (error.platformCode === RATE_LIMIT_APP) {
        await this.options.pacer.hold(`feishu:${this.options.appId}:app`, Date.now() + (error.retryAfterMs ?? 1000));
      } else if (error.platformCode === RATE_LIMIT_CHAT && buckets.chat) {
        await this.options.pacer.hold(`feishu:${this.options.appId}:chat:${buckets.chat}`, Date.now() + 1000);
      }
      throw error;
    }
  }

  private messageId(res: ApiResult): string {
    const id = isRecord(res.data) && typeof res.data.message_id === 'string' ? res.data.message_id : undefined;
    if (!id) throw new PlatformError(false, 'feishu answered without a message_id');
    return id;
  }

  private async send(chatId: string, msgType: 'interactive' | 'text', content: string, options: SendOptions): Promise<MessageRef> {
    try {
      return await this.sendOrReply(chatId, msgType, content, options);
    } catch (err) {
      // The command message was recalled or deleted meanwhile: post into the chat instead of failing.
      if (options.replyTo && err instanceof PlatformError && REPLY_TARGET_GONE.has(Number(err.platformCode))) {
        return this.sendOrReply(chatId, msgType, content, { ...options, replyTo: undefined });
      }
      throw err;
    }
  }

  private async sendOrReply(chatId: string, msgType: 'interactive' | 'text', content: string, options: SendOptions): Promise<MessageRef> {
    const uuid = options.idempotencyKey?.slice(0, 50);
    const res = await this.call({ chat: chatId }, () =>
      options.replyTo
        ? this.sdk.im.v1.message.reply({
            path: { message_id: options.replyTo },
            data: { msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
          })
        : this.sdk.im.v1.message.create({
            params: { receive_id_type: 'chat_id' },
            data: { receive_id: chatId, msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
          }),
    );
    return { platform: 'feishu', chatId, messageId: this.messageId(res), sentAt: this.clock() };
  }

  async sendCard(chatId: string, card: CardModel, options: SendOptions = {}): Promise<MessageRef> {
    return this.send(chatId, 'interactive', JSON.stringify(renderFeishuCard(card)), options);
  }

  async updateCard(ref: MessageRef, card: CardModel): Promise<void> {
    await this.call({ message: ref.messageId }, () =>
      this.sdk.im.v1.message.patch({ path: { message_id: ref.messageId }, data: { content: JSON.stringify(renderFeishuCard(card)) } }),
    );
  }

  async sendText(chatId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    const content = text.map((s) => ('text' in s ? escapeText(s.text) : this.mention(s.mention))).join('');
    return this.send(chatId, 'text', JSON.stringify({ text: content }), options);
  }

  /** A one-to-one message (receive_id_type open_id): https://open.feishu.cn/document/server-docs/im-v1/message/create */
  async sendDirect(memberId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    const content = JSON.stringify({ text: text.map((s) => ('text' in s ? escapeText(s.text) : s.mention.name)).join('') });
    const uuid = options.idempotencyKey?.slice(0, 50);
    const res = await this.call({}, () =>
      this.sdk.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: memberId, msg_type: 'text', content, ...(uuid ? { uuid } : {}) },
      }),
    );
    return { platform: 'feishu', chatId: memberId, messageId: this.messageId(res), sentAt: this.clock() };
  }

  /** A file or image a member sent, streamed (resource.ts), paced with the app's other calls. */
  async resource(messageId: string, fileKey: string, type: 'file' | 'image'): Promise<FeishuResource> {
    await this.options.pacer.acquire([{ name: `feishu:${this.options.appId}:app`, intervalMs: PACE.appIntervalMs }]);
    return fetchResource(this.sdk, messageId, fileKey, type);
  }

  /**
   * A card one-to-one (receive_id_type open_id, msg_type interactive): https://open.feishu.cn/document/server-docs/im-v1/message/create.
   * Only the member sees it, so the card answered to a click on it (update_multi or not) changes their copy alone
   * (https://open.feishu.cn/document/feishu-cards/card-callback-communication).
   */
  async sendDirectCard(memberId: string, card: CardModel, options: SendOptions = {}): Promise<MessageRef> {
    const uuid = options.idempotencyKey?.slice(0, 50);
    const res = await this.call({}, () =>
      this.sdk.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: memberId, msg_type: 'interactive', content: JSON.stringify(renderFeishuCard(card)), ...(uuid ? { uuid } : {}) },
      }),
    );
    return { platform: 'feishu', chatId: memberId, messageId: this.messageId(res), sentAt: this.clock() };
  }

  /** Members with their role (members.ts). */
  async listMembers(chatId: string): Promise<Member[]> {
    return listFeishuMembers(this.sdk, (fn) => this.call({}, fn), chatId);
  }

  async chatName(chatId: string): Promise<string | undefined> {
    const info = await this.call({}, () => this.sdk.im.v1.chat.get({ path: { chat_id: chatId }, params: { user_id_type: 'open_id' } }));
    return isRecord(info.data) && typeof info.data.name === 'string' ? info.data.name : undefined;
  }

  /**
   * The bot's own identity: `GET /open-apis/bot/v3/info` answers `{ code, msg, bot: { open_id, app_name, … } }` and
   * needs no scope beyond the bot ability (https://open.feishu.cn/document/ukTMukTMukTM/uAjMxEjLwITMx4CMyETM). The
   * official SDK's channel reads it the same way before it connects (larksuite/node-sdk channel/channel.ts
   * `fetchBotIdentity`, https://github.com/larksuite/node-sdk/blob/f54b49f3566c52b54c598194b7ed3015e3e24224/channel/channel.ts#L406).
   */
  async botInfo(): Promise<{ openId: string; name: string }> {
    const res = await this.call({}, () => this.sdk.request({ url: '/open-apis/bot/v3/info', method: 'GET' }));
    const bot = isRecord(res.bot) ? res.bot : {};
    if (typeof bot.open_id !== 'string' || bot.open_id === '') throw new PlatformError(false, 'feishu bot/v3/info answered without bot.open_id');
    return { openId: bot.open_id, name: typeof bot.app_name === 'string' ? bot.app_name : '' };
  }

  /** `<at user_id="ou_…"></at>` (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/create_json#text). */
  mention(member: Pick<Member, 'id' | 'name'>): string {
    return `<at user_id="${member.id.replace(/[^A-Za-z0-9_-]/g, '')}"></at>`;
  }
}
