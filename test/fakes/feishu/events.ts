import { createHash } from 'node:crypto';
import { hexId } from '../shared/ids';
import { DEFAULT_APP_ID, FAKE_TENANT_KEY } from './state';

export const DEFAULT_BOT_OPEN_ID = 'ou_b0700000000000000000000000000001';
export const DEFAULT_BOT_NAME = 'FakeBot';
export const DEFAULT_VERIFICATION_TOKEN = 'vt_fake_verification_token_0001';
export const DEFAULT_OPERATOR_OPEN_ID = 'ou_0be2a7020000000000000000000000ff';

export interface UserIds {
  union_id: string;
  user_id: string;
  open_id: string;
}

/** Stable union_id / user_id derived from an open_id. */
export function userIds(openId: string): UserIds {
  const h = createHash('sha1').update(openId).digest('hex');
  return { union_id: `on_${h.slice(0, 32)}`, user_id: h.slice(0, 8), open_id: openId };
}

export interface EventHeader {
  event_id: string;
  event_type: string;
  create_time: string;
  token: string;
  app_id: string;
  tenant_key: string;
}

export interface Envelope<E> {
  schema: '2.0';
  header: EventHeader;
  event: E;
}

export function envelope<E>(eventType: string, event: E, o: { eventId?: string; token?: string; appId?: string }, createTime: string): Envelope<E> {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? hexId(16),
      event_type: eventType,
      create_time: createTime,
      token: o.token ?? DEFAULT_VERIFICATION_TOKEN,
      app_id: o.appId ?? DEFAULT_APP_ID,
      tenant_key: FAKE_TENANT_KEY,
    },
    event,
  };
}

export interface MessageEventInput {
  chatId: string;
  senderOpenId: string;
  text: string;
  mentionBot?: boolean;
  botOpenId?: string;
  botName?: string;
  chatType?: 'group' | 'p2p';
  messageId?: string;
  eventId?: string;
  token?: string;
  appId?: string;
  extraMentions?: { openId: string; name: string }[];
  /** Adds `@所有人`: key `@_all`, an empty id, no open_id (larksuite/node-sdk channel/normalize/__tests__/mentions.test.ts). */
  mentionAll?: boolean;
  /** 'post' sends the text as rich text, one paragraph, each mention an `at` element. */
  messageType?: 'text' | 'post';
}

const hasKey = (text: string, key: string): boolean => new RegExp(`${key}(?!\\d)`).test(text);

/**
 * `im.message.receive_v1` (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
 * Mentions are numbered `@_user_1`… with the bot first when mentionBot.
 * The bot's placeholder is put in front of `text` and extra mentions are appended, unless `text` already contains them.
 */
export function messageEvent(o: MessageEventInput) {
  const people = [
    ...(o.mentionBot ? [{ openId: o.botOpenId ?? DEFAULT_BOT_OPEN_ID, name: o.botName ?? DEFAULT_BOT_NAME }] : []),
    ...(o.extraMentions ?? []),
  ];
  const mentions = people.map((p, i) => ({
    key: `@_user_${i + 1}`,
    id: userIds(p.openId),
    name: p.name,
    tenant_key: FAKE_TENANT_KEY,
  }));
  let text = o.text;
  if (o.mentionBot && !hasKey(text, '@_user_1')) text = `@_user_1 ${text}`;
  for (const m of mentions.slice(o.mentionBot ? 1 : 0)) if (!hasKey(text, m.key)) text = `${text} ${m.key}`;
  const all = o.mentionAll ? [{ key: '@_all', id: {}, name: '所有人', tenant_key: FAKE_TENANT_KEY }] : [];
  if (o.mentionAll && !hasKey(text, '@_all')) text = text.replace(/^(@_user_1 )?/, (m) => `${m}@_all `);
  const now = String(Date.now());
  return envelope(
    'im.message.receive_v1',
    {
      sender: { sender_id: userIds(o.senderOpenId), sender_type: 'user', tenant_key: FAKE_TENANT_KEY },
      message: {
        message_id: o.messageId ?? `om_${hexId(16)}`,
        root_id: '',
        parent_id: '',
        create_time: now,
        update_time: now,
        chat_id: o.chatId,
        thread_id: '',
        chat_type: o.chatType ?? 'group',
        message_type: o.messageType ?? 'text',
        content: JSON.stringify(o.messageType === 'post' ? postContent(text) : { text }),
        ...(mentions.length + all.length > 0 ? { mentions: [...mentions, ...all] } : {}),
      },
    },
    o,
    now,
  );
}

/**
 * Received rich text: `{ title, content: [[element, …]] }`, a mention as `{ tag: 'at', user_id: '@_user_N' }`
 * whose key `mentions[]` maps (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content#post).
 */
function postContent(text: string): { title: string; content: Record<string, unknown>[][] } {
  const paragraph = text
    .split(/(@_user_\d+|@_all)(?![0-9A-Za-z_])/)
    .filter((part) => part !== '')
    .map((part) => (/^@_(user_\d+|all)$/.test(part) ? { tag: 'at', user_id: part, user_name: '', style: [] } : { tag: 'text', text: part, style: [] }));
  return { title: '', content: [paragraph] };
}

export interface CardActionInput {
  chatId: string;
  messageId: string;
  operatorOpenId: string;
  value: unknown;
  formValue?: Record<string, string>;
  inputValue?: string;
  eventId?: string;
  /** Verification token, in the header. */
  token?: string;
  /** The card update token `c-…` (event.token). */
  cardToken?: string;
  appId?: string;
}

/**
 * `card.action.trigger` (https://open.feishu.cn/document/feishu-cards/card-callback-communication);
 * header create_time is in microseconds, as Feishu sends it.
 */
export function cardActionEvent(o: CardActionInput) {
  const action = {
    value: o.value,
    tag: o.inputValue !== undefined ? 'input' : 'button',
    timezone: 'Asia/Shanghai',
    ...(o.formValue ? { name: 'form_submit', form_value: o.formValue } : {}),
    ...(o.inputValue !== undefined ? { input_value: o.inputValue } : {}),
  };
  return envelope(
    'card.action.trigger',
    {
      operator: { tenant_key: FAKE_TENANT_KEY, ...userIds(o.operatorOpenId) },
      token: o.cardToken ?? `c-${hexId(20)}`,
      action,
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
    o,
    String(Date.now() * 1000),
  );
}

export interface MemberEventInput {
  chatId: string;
  users: { openId: string; name: string }[];
  eventId?: string;
  token?: string;
  appId?: string;
  operatorOpenId?: string;
  chatName?: string;
}

/** `im.chat.member.user.added_v1` / `im.chat.member.user.deleted_v1`, shaped like the SDK's IHandles typings. */
export function memberEvent(kind: 'added' | 'deleted', o: MemberEventInput) {
  return envelope(
    `im.chat.member.user.${kind}_v1`,
    {
      chat_id: o.chatId,
      operator_id: userIds(o.operatorOpenId ?? DEFAULT_OPERATOR_OPEN_ID),
      external: false,
      operator_tenant_key: FAKE_TENANT_KEY,
      users: o.users.map((u) => ({ name: u.name, tenant_key: FAKE_TENANT_KEY, user_id: userIds(u.openId) })),
      name: o.chatName ?? '',
      i18n_names: {},
    },
    o,
    String(Date.now()),
  );
}

export function urlVerification(challenge: string, token: string): { challenge: string; token: string; type: 'url_verification' } {
  return { challenge, token, type: 'url_verification' };
}
