import * as lark from '@larksuiteoapi/node-sdk';
import express, { type Request, type Response, type Router } from 'express';
import type { Member } from '../../domain/types';
import { ErrorCode, toAppError } from '../../errors';
import type { Logger } from '../../logger';
import type { ActionResult, Inbound, InboundAction } from '../port';
import { renderFeishuCard } from './card';
import { platformTime } from './request-time';
import { isChallenge, openRequest, Refusal, type RequestKeys } from './verify';
import { cardActionSchema, decodeText, memberEventSchema, messageEventSchema, type MentionSeen, type MessageEvent } from './decode';

export interface FeishuReceiverDeps {
  readonly encryptKey?: string;
  readonly verificationToken?: string;
  /** Whether a mention is the bot (by open_id: FeishuBotIdentity). */
  readonly isBot: (mention: MentionSeen) => boolean;
  /** Messages and member changes are queued (the webhook answers before the command runs); clicks answered at once. */
  readonly inbound: Inbound;
  /** The cached roster entry of a chat member, read without network I/O (callbacks have 3 s). */
  readonly memberOf: (chatId: string, id: string) => Promise<Member | undefined>;
  /**
   * Files and images sent to the bot (materials), queued for download (src/platforms/feishu/files.ts); none: they are
   * ignored like any other non-text message.
   */
  readonly files?: { take(event: MessageEvent): Promise<boolean> };
  readonly clock: () => number;
  readonly log: Logger;
}

export const MAX_BODY = '256kb';

/**
 * `POST /feishu/events` takes event subscriptions and card callbacks alike. We check the signature over the
 * raw bytes ourselves, in constant time, and the signed time, before anything else (the SDK answers a bad signature
 * with 200 and silently drops it, re-serialises the body before checking — `checkIsEventValidated` in
 * https://github.com/larksuite/node-sdk/blob/main/dispatcher/request-handle.ts — and never looks
 * at the time), then decrypt, check the verification token (the SDK never does): src/platforms/feishu/verify.ts. We
 * hand the plain body to the SDK's EventDispatcher, built
 * without the encrypt key, which the long connection uses too.
 */
export class FeishuReceiver {
  readonly events: lark.EventDispatcher;
  private readonly keys: RequestKeys;

  constructor(private readonly deps: FeishuReceiverDeps) {
    this.keys = {
      ...(deps.encryptKey ? { encryptKey: deps.encryptKey, cipher: new lark.AESCipher(deps.encryptKey) } : {}),
      ...(deps.verificationToken ? { verificationToken: deps.verificationToken } : {}),
    };
    const quiet = (): undefined => undefined;
    // loggerLevel alone cannot silence the SDK (fatal is 0, read as "unset"): give it a logger of our own.
    const sdkLog = { error: (...m: unknown[]) => deps.log.debug({ sdk: m.map(String).join(' ').slice(0, 300) }, 'feishu sdk'), warn: quiet, info: quiet, debug: quiet, trace: quiet };
    this.events = new lark.EventDispatcher({ logger: sdkLog, loggerLevel: lark.LoggerLevel.error }).register<{
      'card.action.trigger': (data: unknown) => Promise<unknown>;
      'im.chat.member.user.added_v1': (data: unknown) => Promise<unknown>;
      'im.chat.member.user.deleted_v1': (data: unknown) => Promise<unknown>;
    }>({
      'im.message.receive_v1': (data: unknown) => this.onMessage(data),
      'card.action.trigger': (data: unknown) => this.onCardAction(data),
      'im.chat.member.user.added_v1': (data: unknown) => this.onMembers(data),
      'im.chat.member.user.deleted_v1': (data: unknown) => this.onMembers(data),
    });
  }

  router(): Router {
    const r = express.Router();
    r.post('/feishu/events', express.raw({ type: () => true, limit: MAX_BODY }), (req, res) => this.handle(req, res));
    return r;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const plain = openRequest(raw, req.headers, this.keys, this.deps.clock());
      if (isChallenge(plain)) {
        res.json({ challenge: plain.challenge });
        return;
      }
      const result: unknown = await this.events.invoke(plain);
      res.json(typeof result === 'object' && result !== null ? result : {});
    } catch (err) {
      if (err instanceof Refusal) {
        this.deps.log.warn({ status: err.status, reason: err.message, ...err.detail }, 'feishu request refused');
        res.status(err.status).json(err.answer);
        return;
      }
      const appError = toAppError(err);
      // Redis down: answer 503 at once; Feishu pushes the event again (15 s, 5 min, 1 h, 6 h).
      const status = appError.code === ErrorCode.StoreUnavailable ? 503 : 500;
      this.deps.log.error({ err, code: appError.code }, 'feishu event failed');
      res.status(status).json({ error: appError.code });
    }
  }

  private async onMessage(data: unknown): Promise<Record<string, never>> {
    const parsed = messageEventSchema.safeParse(data);
    if (!parsed.success) return {};
    const event = parsed.data;
    if (event.sender.sender_type && event.sender.sender_type !== 'user') return {};
    if ((await this.deps.files?.take(event)) === true) return {};
    const decoded = decodeText(event, this.deps.isBot);
    const direct = event.message.chat_type === 'p2p';
    // In a group only a message that @-mentions the bot is a command; in a one-to-one chat every message is.
    if (!decoded || (!direct && !decoded.mentionsBot)) return {};
    await this.deps.inbound.message({
      kind: 'message',
      chat: { platform: 'feishu', chatId: event.message.chat_id },
      messageId: event.message.message_id,
      sender: { id: event.sender.sender_id.open_id, name: '' },
      text: decoded.text,
      mentions: decoded.mentions,
      direct,
      ...withTime(platformTime(event.message.create_time, 'ms')),
      receivedAt: this.deps.clock(),
    });
    return {};
  }

  private async onCardAction(data: unknown): Promise<unknown> {
    const parsed = cardActionSchema.safeParse(data);
    if (!parsed.success) return { toast: { type: 'error', content: '无法识别的操作。' } };
    const d = parsed.data;
    const chatId = d.context.open_chat_id;
    const actorId = d.operator.open_id;
    const actor = (await this.deps.memberOf(chatId, actorId)) ?? { id: actorId, name: actorId };
    const reason = d.action.form_value?.reason;
    const action: InboundAction = {
      kind: 'action',
      chat: { platform: 'feishu', chatId },
      eventId: d.event_id ?? `${d.context.open_message_id}-${actorId}`,
      // Feishu may deliver a callback again, and a captured request can be replayed: each event id is taken once,
      // with the answer it records, so an old click can never undo a later answer
      // (https://open.feishu.cn/document/feishu-cards/card-callback-communication).
      ...(d.event_id ? { deliveryId: d.event_id } : {}),
      actor,
      value: d.action.value,
      ...(typeof reason === 'string' ? { form: { reason } } : {}),
      // When the member clicked, as Feishu says: an action older than the member's current answer never changes it.
      ...withTime(platformTime(d.create_time, 'us')),
      receivedAt: this.deps.clock(),
    };
    return toCallbackAnswer(await this.deps.inbound.action(action));
  }

  private async onMembers(data: unknown): Promise<Record<string, never>> {
    const parsed = memberEventSchema.safeParse(data);
    if (parsed.success) await this.deps.inbound.roster({ platform: 'feishu', chatId: parsed.data.chat_id }, parsed.data.event_id ?? String(this.deps.clock()));
    return {};
  }
}

const withTime = (actedAt: number | undefined): { actedAt?: number } => (actedAt === undefined ? {} : { actedAt });


/** The callback answer: a toast and the updated card, same schema (2.0) as the original
 * (https://open.feishu.cn/document/feishu-cards/card-callback-communication). */
export function toCallbackAnswer(result: ActionResult): Record<string, unknown> {
  return {
    toast: { type: result.toast.kind, content: result.toast.text },
    ...(result.card ? { card: { type: 'raw', data: renderFeishuCard(result.card) } } : {}),
  };
}
