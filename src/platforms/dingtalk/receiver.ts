import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { ChatRef, Member } from '../../domain/types';
import { ErrorCode, toAppError } from '../../errors';
import type { Logger } from '../../logger';
import type { Inbound, InboundAction } from '../port';
import { callbackAnswer, renderCardData } from './card';
import type { CardShown } from './card-shown';
import { createAtOf, decodeCardCallback, decodeRobotMessage, robotMessageSchema } from './decode';
import type { DingTalkFiles } from './file-download';
import type { DingTalkRecords } from './records';
import type { SignatureLedger } from './signature-ledger';
import type { DingTalkState } from './state';
import { bodyTimeRefusal, refusal, signaturePair, type SignedRoute } from './verify';

export interface DingTalkReceiverDeps {
  readonly appSecret: string;
  /** The secret HTTP card callbacks are signed with (`x-ddpaas-signature`), when registered with one. */
  readonly apiSecret?: string;
  readonly botName: string;
  readonly robotCode: string;
  /** Session webhooks are used only on DingTalk's own host (DINGTALK_OAPI_BASE): never post to a URL a payload names. */
  readonly webhookOrigin: string;
  /** Durable hand-off of a message: acknowledged once this resolves, handled from the inbound queue. */
  /** Messages are queued (ack first, then work); card clicks answered at once. */
  readonly inbound: Pick<Inbound, 'message' | 'action'>;
  /** Files and pictures sent to the robot: handed to the materials after the ack (file-download.ts). */
  readonly files?: Pick<DingTalkFiles, 'take'>;
  /** The cached roster entry of a group member, read without network I/O (callbacks have 2 s). */
  readonly memberOf: (chatId: string, id: string) => Promise<Member | undefined>;
  /** Names, group titles, activity and admin flags seen in messages. */
  readonly records: Pick<DingTalkRecords, 'rememberNames' | 'platformNames' | 'markActive' | 'title' | 'setRole'>;
  /** Session webhooks, the group of each card (callbacks name the card only), callbacks taken once, one-to-one chats. */
  readonly state: Pick<DingTalkState, 'sessions' | 'sends' | 'callbacks' | 'directs'>;
  /** Signature pairs taken by HTTP requests (each pair once, see signature-ledger.ts). */
  readonly ledger: SignatureLedger;
  /** What each card shows: a callback's answer updates its card, which is then not PUT (card-shown.ts). */
  readonly shown: CardShown;
  readonly clock: () => number;
  /** Real time, for the signature window. */
  readonly realClock?: () => number;
  /** A card callback must be answered within 2 s; past this the answer carries no card (the queue updates it). */
  readonly callbackDeadlineMs?: number;
  readonly log: Logger;
}

export const MAX_BODY = '256kb';
export type CallbackAnswer = Record<string, unknown> | null;
/** Where a robot message came from: a Stream frame (an authenticated connection) or an HTTP body (unsigned). */
export type MessageSource = 'stream' | 'http';

/**
 * Everything DingTalk sends the bot, in either mode: robot messages are decoded and handed to the durable inbound
 * queue (deduplicated there by msgId), card callbacks are answered synchronously through the dispatcher, once
 * per callback id. HTTP mode adds `POST /dingtalk/events` and `POST /dingtalk/card`. DingTalk signs the timestamp
 * only, never the body, so a request is taken when: it carries its route's own signature (robot on events, card
 * on card), checked in constant time with its one-hour window; a robot message's `createAt` is close to the signed
 * timestamp; and the pair was not taken before (a repeat with the same body is acked and not handled again, with
 * another body refused). Everything else is answered 401 and changes nothing. An HTTP body's `isAdmin` is never
 * believed: see DecodeOptions.trustIsAdmin.
 */
export class DingTalkReceiver {
  constructor(private readonly deps: DingTalkReceiverDeps) {}

  router(): Router {
    const r = express.Router();
    const raw = express.raw({ type: () => true, limit: MAX_BODY });
    r.post('/dingtalk/events', raw, (req, res) => void this.http(req, res, 'events'));
    r.post('/dingtalk/card', raw, (req, res) => void this.http(req, res, 'card'));
    return r;
  }

  async onRobotMessage(payload: unknown, source: MessageSource = 'stream'): Promise<'enqueued' | 'ignored'> {
    const now = this.deps.clock();
    const out = decodeRobotMessage(payload, { botName: this.deps.botName, robotCode: this.deps.robotCode, receivedAt: now, trustIsAdmin: source === 'stream' });
    if (!out.ok) {
      this.deps.log.info({ reason: out.reason }, 'dingtalk message ignored');
      return 'ignored';
    }
    const d = out.decoded;
    const { chat, messageId, sender } = d.message;
    const session = d.session && this.ownWebhook(d.session.url) ? d.session : undefined;
    await Promise.all([
      session ? this.deps.state.sessions.save(chat.chatId, messageId, session, Date.now()) : undefined,
      d.directUser ? this.rememberDirect(chat, d.directUser) : undefined,
      d.message.direct ? undefined : this.deps.state.directs.forget(chat.chatId),
      this.deps.records.rememberNames('dingtalk', d.names),
      d.message.direct ? undefined : this.deps.records.markActive(chat, d.title, now),
      // Every message: a roster changed by command (or refreshed) since may hold the sender without the role.
      d.isAdmin !== undefined && !d.message.direct ? this.deps.records.setRole(chat, sender.id, d.isAdmin ? 'admin' : 'member') : undefined,
    ]);
    if (d.files.length > 0) {
      // Taken once per message (a redelivery is acked and dropped), then downloaded after the ack.
      if (this.deps.files && (await this.deps.state.callbacks.claim(`file:${messageId}`))) await this.deps.files.take(d.message, d.files);
      return 'enqueued';
    }
    await this.deps.inbound.message(d.message);
    return 'enqueued';
  }

  /** The answer for DingTalk (card data for everyone, the clicker's status line), or null for no update. */
  async onCardCallback(payload: unknown, eventId: string): Promise<CallbackAnswer> {
    const cb = decodeCardCallback(payload);
    if (!cb) return null;
    const log = this.deps.log.child({ eventId });
    const chatId = (await this.deps.state.sends.cardChat(cb.outTrackId)) ?? cb.groupId;
    if (!chatId) return callbackAnswer({ toast: { kind: 'error', text: '这张卡片已失效，请使用最新的卡片。' } });
    // A repeat is acked without an update: replaying an old answer could show a stale card or undo a later click;
    // the first one's effect already reached every copy through the card refresh (PUT).
    if (!(await this.deps.state.callbacks.claim(eventId))) {
      log.info('duplicate card callback: acked, not handled again');
      return null;
    }
    const actor = (await this.deps.memberOf(chatId, cb.userId)) ?? { id: cb.userId, name: (await this.deps.records.platformNames('dingtalk', [cb.userId])).get(cb.userId) ?? cb.userId };
    const action: InboundAction = {
      kind: 'action',
      chat: { platform: 'dingtalk', chatId },
      eventId,
      actor,
      value: cb.value,
      ...(cb.reason ? { form: { reason: cb.reason } } : {}),
      receivedAt: this.deps.clock(),
    };
    // The answer updates the clicked card (event-callback-card: "请勿在回调过程中，调用更新接口"): the refresh this
    // click queues waits for it and leaves that card alone when the answer carried what it would PUT.
    await this.deps.shown.beginAnswer(cb.outTrackId);
    let shown: ReturnType<typeof renderCardData> | undefined;
    const work = this.deps.inbound.action(action);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deps.callbackDeadlineMs ?? 1500);
    });
    try {
      const result = await Promise.race([work, late]);
      if (result !== 'late') {
        if (result.card) shown = renderCardData(result.card);
        return callbackAnswer(result);
      }
      log.warn('card callback slower than the deadline: answered without a card (the queue updates it)');
      work.catch((err: unknown) => log.error({ err }, 'card callback failed after its deadline'));
      return null;
    } catch (err) {
      log.error({ err, code: toAppError(err).code }, 'card callback failed');
      return callbackAnswer({ toast: { kind: 'error', text: '服务暂时不可用，请稍后再试。' } });
    } finally {
      clearTimeout(timer);
      await this.deps.shown.endAnswer(cb.outTrackId, shown).catch((err: unknown) => log.warn({ err }, 'card state not recorded: the refresh will PUT it'));
    }
  }

  /** A one-to-one conversation: remembered with its user, unless the conversation is known as a group. */
  private async rememberDirect(chat: ChatRef, userId: string): Promise<void> {
    if ((await this.deps.records.title(chat)) !== undefined) return;
    await this.deps.state.directs.remember(chat.chatId, userId);
  }

  private ownWebhook(url: string): boolean {
    try {
      return new URL(url).origin === this.deps.webhookOrigin;
    } catch {
      return false;
    }
  }

  private async http(req: Request, res: Response, route: SignedRoute): Promise<void> {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const refuse = (why: string): void => {
      this.deps.log.warn({ reason: why, path: req.path }, 'dingtalk request refused');
      res.status(401).json({ error: why });
    };
    const why = refusal(header, { appSecret: this.deps.appSecret, ...(this.deps.apiSecret ? { apiSecret: this.deps.apiSecret } : {}) }, (this.deps.realClock ?? Date.now)(), route);
    const pair = signaturePair(header, route);
    if (why || !pair) {
      refuse(why ?? 'missing timestamp or sign');
      return;
    }
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'malformed JSON' });
      return;
    }
    const empty = route === 'events' ? { msgtype: 'empty' } : {};
    try {
      // Only a robot message is checked: anything else is ignored below and changes nothing.
      const late = route === 'events' && robotMessageSchema.safeParse(body).success ? bodyTimeRefusal(createAtOf(body), pair) : undefined;
      if (late) {
        refuse(late);
        return;
      }
      const claim = await this.deps.ledger.claim(route, pair, raw);
      if (claim === 'reused') {
        refuse('signature already used');
        return;
      }
      if (claim === 'repeat') {
        // DingTalk delivering the same request again: it was taken the first time.
        res.json(empty);
        return;
      }
      try {
        if (route === 'events') {
          await this.onRobotMessage(body, 'http');
          // A synchronous reply is possible; we answer through the queue, so: no message now.
          res.json(empty);
          return;
        }
        const eventId = `http-${createHash('sha256').update(pair.timestamp).update(raw).digest('hex').slice(0, 40)}`;
        res.json((await this.onCardCallback(body, eventId)) ?? empty);
      } catch (err) {
        // Nothing was taken: a redelivery of this request may take its pair again.
        await this.deps.ledger.release(route, pair).catch(() => undefined);
        throw err;
      }
    } catch (err) {
      const appError = toAppError(err);
      this.deps.log.error({ err, code: appError.code }, 'dingtalk request failed');
      res.status(appError.code === ErrorCode.StoreUnavailable ? 503 : 500).json({ error: appError.code });
    }
  }
}
