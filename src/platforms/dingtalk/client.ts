import { randomUUID } from 'node:crypto';
import type { CardModel } from '../../domain/card-model';
import type { Member } from '../../domain/types';
import { PlatformError } from '../../errors';
import type { LinkButtons, MessageRef, PlatformPort, RichText, SendOptions } from '../port';
import { cardKey, escapeMd, renderCardData, renderMarkdown, renderNoticeData, renderTally, type CardParamMap } from './card';
import { CARD_REF, deliverCard } from './card-deliver';
import { isThrottle } from './errors';
import type { Session } from './state';
import type { DingTalkClientOptions } from './client-options';

/** A webhook's `at.atUserIds` takes at most 50 people (https://open.dingtalk.com/document/development/custom-robots-send-group-messages). */
const MAX_AT = 50;

/**
 * The DingTalk port. Where mentions go (https://open.dingtalk.com/document/dingstart/robot-reply-and-send-messages):
 * the app robot's `groupMessages/send` cannot @ anyone ("暂不支持 @ 功能"), webhooks can. So a text goes through the
 * conversation's session webhook with `at.atUserIds` while one is valid (any @-message in the group in the last
 * ~90 minutes leaves one; replies use their own message's); else, with a card template, a notice card whose
 * `imGroupOpenDeliverModel.atUserIds` notifies; else `groupMessages/send` with the names written out, which
 * notifies nobody (README: import the template for nudges that ring). A one-to-one conversation is reached through
 * its user instead: `oToMessages/batchSend` for messages, the user's `IM_ROBOT` space for cards (direct-chats.ts).
 */
export class DingTalkClient implements PlatformPort {
  readonly name = 'dingtalk' as const;

  constructor(private readonly o: DingTalkClientOptions) {}

  /** Our template has two buttons (btn1, btn2: card.ts); a markdown card has none (members answer by text). */
  get cardButtons(): number {
    return this.o.templateId ? 2 : 0;
  }

  async sendCard(chatId: string, card: CardModel, options: SendOptions = {}): Promise<MessageRef> {
    return this.once(options.idempotencyKey, async () => {
      if (this.o.templateId) return this.deliver(chatId, renderCardData(card), card.header.title, options.idempotencyKey);
      return this.post(chatId, 'sampleMarkdown', renderMarkdown(card));
    });
  }

  /**
   * A template card is updated in place, unless it shows that data already: after a click, the callback's answer
   * gave the clicked card its new data, and DingTalk says not to PUT the card a callback answers (card-shown.ts).
   * A markdown card cannot change, so its tally is posted again (rate-limited).
   */
  async updateCard(ref: MessageRef, card: CardModel): Promise<void> {
    if (ref.messageId.startsWith(CARD_REF)) {
      const data = renderCardData(card);
      if (await this.o.shown.shows(ref.messageId, data)) return;
      await this.o.api.call({
        method: 'PUT',
        base: 'api',
        path: '/v1.0/card/instances',
        body: { outTrackId: ref.messageId, cardData: { cardParamMap: data }, cardUpdateOptions: { updateCardDataByKey: true }, userIdType: 1 },
      });
      await this.o.shown.record(ref.messageId, data);
      return;
    }
    await this.o.tally.update(ref.chatId, cardKey(card), renderTally(card));
  }

  /** Post a tally message (the TallyPoster's sender). */
  async postMarkdown(chatId: string, content: { title: string; text: string }): Promise<void> {
    await this.post(chatId, 'sampleMarkdown', content);
  }

  async sendText(chatId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    return this.once(options.idempotencyKey, async () => {
      // Webhook expiry is DingTalk's clock: real time.
      const session = await this.o.state.sessions.find(chatId, options.replyTo, Date.now());
      if (session) {
        const sent = await this.viaSession(chatId, session, text, options.idempotencyKey);
        if (sent) return sent;
      }
      const mentions = text.flatMap((s) => ('mention' in s ? [s.mention] : []));
      const user = await this.o.state.directs.userOf(chatId);
      if (user) return this.oneToOne(chatId, user, 'sampleText', { content: text.map((s) => ('text' in s ? noAt(s.text) : s.mention.name)).join('') });
      if (mentions.length > 0 && this.o.templateId) {
        const md = text.map((s) => ('text' in s ? escapeMd(s.text) : `@${escapeMd(s.mention.name)}`)).join('');
        const at = Object.fromEntries(mentions.slice(0, MAX_AT).map((m) => [m.id, m.name]));
        return this.deliver(chatId, renderNoticeData('提醒', md), '提醒', options.idempotencyKey, at);
      }
      if (mentions.length > 0) this.o.log.info({ chatId, mentions: mentions.length }, 'dingtalk: no webhook nor template: mentions are not notified');
      const content = text.map((s) => ('text' in s ? noAt(s.text) : `@${s.mention.name}`)).join('');
      return this.post(chatId, 'sampleText', { content });
    });
  }

  /**
   * A message to a member one-to-one (the organizer's 签到码, 私信催办), through `oToMessages/batchSend` with their
   * user id (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches): the
   * robot writes to anyone of its organisation, without a conversation first. Same key, same message.
   */
  async sendDirect(memberId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    const content = text.map((s) => ('text' in s ? noAt(s.text) : s.mention.name)).join('');
    return this.once(options.idempotencyKey, () => this.oneToOne(memberId, memberId, 'sampleText', { content }));
  }

  /**
   * A message with 2 to 5 vertical link buttons, one-to-one: msgKey `sampleActionCard<N>`, msgParam `title`, `text`
   * (markdown), `actionTitle1..N`, `actionURL1..N` (robot message types,
   * https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format; sent through
   * https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches). A tap opens
   * the URL in DingTalk's browser; nothing comes back to the bot. Same key, same message.
   */
  async sendDirectLinks(memberId: string, message: LinkButtons, options: SendOptions = {}): Promise<MessageRef> {
    const n = message.buttons.length;
    if (n < 2 || n > 5) throw new PlatformError(true, `dingtalk sampleActionCard takes 2 to 5 buttons, not ${n}`);
    const param: Record<string, string> = { title: message.title, text: message.markdown };
    message.buttons.forEach((b, i) => {
      param[`actionTitle${i + 1}`] = b.label;
      param[`actionURL${i + 1}`] = b.url;
    });
    return this.once(options.idempotencyKey, () => this.oneToOne(memberId, memberId, `sampleActionCard${n}`, param));
  }

  /** A one-to-one conversation's member is its user (no API call); a group's are listed, when DingTalk lists them. */
  async listMembers(chatId: string): Promise<Member[] | undefined> {
    const user = await this.o.state.directs.userOf(chatId);
    if (!user) return this.o.members.list(chatId);
    return [{ id: user, name: (await this.o.records.platformNames('dingtalk', [user])).get(user) ?? user }];
  }

  /** Users directly in a department (名单 部门 <ID>). */
  departmentMembers(deptId: string): Promise<Member[]> {
    return this.o.members.department(deptId);
  }

  /** The group's title as seen in its messages: no API call. */
  chatName(chatId: string): Promise<string | undefined> {
    return this.o.records.title({ platform: 'dingtalk', chatId });
  }

  /** In webhook text a mention is `@<userId>` plus the id in `at.atUserIds` (https://open.dingtalk.com/document/development/custom-robots-send-group-messages). */
  mention(member: Pick<Member, 'id' | 'name'>): string {
    return `@${member.id}`;
  }

  /** Same key, same message: the adapter remembers what each key sent (groupMessages/send has no idempotency). */
  private async once(key: string | undefined, send: () => Promise<MessageRef>): Promise<MessageRef> {
    if (key) {
      const done = await this.o.state.sends.sent(key);
      if (done) return done;
    }
    const ref = await send();
    if (key) await this.o.state.sends.recordSent(key, ref);
    return ref;
  }

  private ref(chatId: string, messageId: string): MessageRef {
    return { platform: 'dingtalk', chatId, messageId, sentAt: this.o.clock() };
  }

  /** A message into the conversation: the group's, or the one-to-one chat's through its user. */
  private async post(chatId: string, msgKey: 'sampleMarkdown' | 'sampleText', param: Record<string, string>): Promise<MessageRef> {
    const user = await this.o.state.directs.userOf(chatId);
    if (user) return this.oneToOne(chatId, user, msgKey, param);
    const res = await this.o.api.call({
      method: 'POST',
      base: 'api',
      path: '/v1.0/robot/groupMessages/send',
      body: { robotCode: this.o.robotCode, openConversationId: chatId, msgKey, msgParam: JSON.stringify(param) },
    });
    if (typeof res.processQueryKey !== 'string') throw new PlatformError(false, 'dingtalk groupMessages/send answered without processQueryKey');
    return this.ref(chatId, res.processQueryKey);
  }

  /**
   * `POST /v1.0/robot/oToMessages/batchSend` to the one user of a one-to-one chat
   * (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches). A refusal
   * comes inside the 200: `invalidStaffIdList` (no such user: permanent) or `flowControlledStaffIdList` (throttled).
   */
  private async oneToOne(chatId: string, userId: string, msgKey: 'sampleMarkdown' | 'sampleText' | `sampleActionCard${number}`, param: Record<string, string>): Promise<MessageRef> {
    const res = await this.o.api.call({
      method: 'POST',
      base: 'api',
      path: '/v1.0/robot/oToMessages/batchSend',
      body: { robotCode: this.o.robotCode, userIds: [userId], msgKey, msgParam: JSON.stringify(param) },
    });
    const listed = (field: string): boolean => Array.isArray(res[field]) && (res[field] as unknown[]).includes(userId);
    if (listed('invalidStaffIdList')) throw new PlatformError(true, `dingtalk oToMessages/batchSend: ${userId} is not a valid user`, 'invalidStaffId');
    if (listed('flowControlledStaffIdList')) throw new PlatformError(false, `dingtalk oToMessages/batchSend: ${userId} is flow-controlled`, 'flowControlled', 1000);
    if (typeof res.processQueryKey !== 'string') throw new PlatformError(false, 'dingtalk oToMessages/batchSend answered without processQueryKey');
    return this.ref(chatId, res.processQueryKey);
  }

  /** Undefined when the webhook is no longer usable (expired, refused): the caller falls back to the API. */
  private async viaSession(chatId: string, session: Session, text: RichText, key?: string): Promise<MessageRef | undefined> {
    const atUserIds = [...new Set(text.flatMap((s) => ('mention' in s ? [s.mention.id] : [])))].slice(0, MAX_AT);
    // Past the 50 a webhook can notify, people are named instead (an `@id` without its at entry shows as raw id).
    const content = text.map((s) => ('text' in s ? noAt(s.text) : atUserIds.includes(s.mention.id) ? this.mention(s.mention) : `@${s.mention.name}`)).join('');
    try {
      await this.o.api.call({
        method: 'POST',
        base: { webhook: session.url },
        path: '/robot/sendBySession',
        body: { msgtype: 'text', text: { content }, at: { atUserIds, isAtAll: false }, ...(key ? { msgUuid: key.slice(0, 64) } : {}) },
      });
    } catch (err) {
      // A throttled or timed-out webhook may still deliver: retry later rather than post twice.
      if (!(err instanceof PlatformError) || isThrottle(err) || err.platformCode === 'TIMEOUT' || err.platformCode === 'NETWORK') throw err;
      this.o.log.info({ chatId, code: err.platformCode }, 'dingtalk session webhook refused: using the API');
      return undefined;
    }
    return this.ref(chatId, `session-${randomUUID()}`);
  }

  /** A template card (card-deliver.ts). */
  private async deliver(chatId: string, data: CardParamMap, title: string, key?: string, atUserIds?: Record<string, string>): Promise<MessageRef> {
    return this.ref(chatId, await deliverCard(this.o, chatId, data, title, key, atUserIds));
  }
}

/** User text cannot mention anyone: its `@` becomes a full-width `＠`. */
const noAt = (s: string): string => s.replace(/@/g, '＠');
