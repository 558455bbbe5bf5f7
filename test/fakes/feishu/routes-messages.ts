import { checkContent, isSharedCard } from './card';
import { botNotInChat, chatDissolved, frequencyLimited } from './faults';
import { FAKE_TENANT_KEY, type FeishuState } from './state';
import { fail, isRecord, ok, type FakeChat, type FakeMessage, type Reply } from './types';

export interface RouteInput {
  query: Record<string, string>;
  body: unknown;
  params: Record<string, string>;
}

const PATCH_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const invalidParam = (ext: string): Reply =>
  fail(230001, `Your request contains an invalid request parameter, ext=${ext}`);

function rootOf(state: FeishuState, msg: FakeMessage): string {
  let cur = msg;
  for (let p = cur.parentId; p !== undefined; p = cur.parentId) {
    const parent = state.message(p);
    if (!parent) break;
    cur = parent;
  }
  return cur.messageId;
}

/** The `data` of a create/reply answer (https://open.feishu.cn/document/server-docs/im-v1/message/create). */
function messageData(state: FeishuState, msg: FakeMessage, rawContent: string): Reply {
  const time = String(msg.createdAt);
  const parent = msg.parentId === undefined ? undefined : state.message(msg.parentId);
  return ok({
    message_id: msg.messageId,
    root_id: parent ? rootOf(state, parent) : '',
    parent_id: msg.parentId ?? '',
    thread_id: '',
    msg_type: msg.msgType,
    create_time: time,
    update_time: time,
    deleted: false,
    updated: false,
    chat_id: msg.chatId,
    sender: { id: state.opts.appId, id_type: 'app_id', sender_type: 'app', tenant_key: FAKE_TENANT_KEY },
    body: { content: rawContent },
    mentions: [],
  });
}

interface Outgoing {
  msgType: unknown;
  content: unknown;
  uuid: unknown;
  parentId?: string;
}

/** Shared by create and reply: chat checks, uuid de-dup, per-chat limit, content validation. */
function send(state: FeishuState, chat: FakeChat, out: Outgoing): Reply {
  if (chat.dissolved) return chatDissolved();
  if (chat.botInChat === false) return botNotInChat();
  if (typeof out.msgType !== 'string' || out.msgType === '') return invalidParam('msg_type is required');
  if (out.uuid !== undefined && (typeof out.uuid !== 'string' || out.uuid.length > 50)) {
    return invalidParam('uuid must be a string of at most 50 characters');
  }
  const uuid = out.uuid === '' ? undefined : out.uuid;
  if (uuid !== undefined) {
    const prior = state.byUuid(uuid);
    if (prior) return messageData(state, prior, JSON.stringify(prior.content));
  }
  if (!state.chatLimiter.take(chat.chatId, state.opts.chatPerSecond)) return frequencyLimited();
  const checked = checkContent(out.msgType, out.content);
  if (!checked.ok) return checked.reply;
  const msg = state.addMessage({
    chatId: chat.chatId,
    msgType: out.msgType,
    content: checked.parsed,
    ...(uuid === undefined ? {} : { uuid }),
    ...(out.parentId === undefined ? {} : { parentId: out.parentId }),
  });
  return messageData(state, msg, String(out.content));
}

export function createMessage(state: FeishuState, req: RouteInput): Reply {
  if (req.query.receive_id_type === 'open_id') return sendDirect(state, req);
  if (req.query.receive_id_type !== 'chat_id') {
    return invalidParam('the fake supports receive_id_type chat_id and open_id only');
  }
  if (!isRecord(req.body) || typeof req.body.receive_id !== 'string') return invalidParam('receive_id is required');
  const chat = state.chats.get(req.body.receive_id);
  if (!chat) return invalidParam('invalid receive_id');
  return send(state, chat, { msgType: req.body.msg_type, content: req.body.content, uuid: req.body.uuid });
}

export function replyMessage(state: FeishuState, req: RouteInput): Reply {
  const parentId = req.params.message_id ?? '';
  const parentChat = state.chatOfMessage(parentId);
  if (!parentChat) return invalidParam('message_id not found');
  const chat = state.chats.get(parentChat);
  if (!chat) return invalidParam('chat of the message not found');
  if (!isRecord(req.body)) return invalidParam('body must be a JSON object');
  return send(state, chat, { msgType: req.body.msg_type, content: req.body.content, uuid: req.body.uuid, parentId });
}

export function patchMessage(state: FeishuState, req: RouteInput): Reply {
  const msg = state.message(req.params.message_id ?? '');
  if (!msg) return invalidParam('message_id not found');
  const chat = state.chats.get(msg.chatId);
  if (chat?.dissolved) return chatDissolved();
  if (chat?.botInChat === false) return botNotInChat();
  if (msg.msgType !== 'interactive') return invalidParam('only interactive messages can be patched');
  if (state.opts.now() - msg.createdAt > PATCH_MAX_AGE_MS) {
    return fail(230031, 'The message has been sent for more than 14 days and can not be updated.');
  }
  if (!state.patchLimiter.take(msg.messageId, state.opts.patchPerSecondPerMessage)) return frequencyLimited();
  const content = isRecord(req.body) ? req.body.content : undefined;
  const checked = checkContent('interactive', content);
  if (!checked.ok) return checked.reply;
  if (!isSharedCard(state.current(msg)) || !isSharedCard(checked.parsed)) {
    return fail(230099, 'Failed to update card content, ext=the card must set config.update_multi to true');
  }
  msg.patches.push(checked.parsed);
  return ok({}, 'ok');
}

export function updateCard(state: FeishuState, req: RouteInput): Reply {
  if (!isRecord(req.body) || typeof req.body.token !== 'string' || !isRecord(req.body.card)) {
    return fail(10003, 'invalid param: token and card are required');
  }
  state.cardUpdates.push({ token: req.body.token, card: req.body.card });
  return ok(undefined, 'ok');
}

/**
 * A one-to-one message to a user (receive_id_type=open_id). The bot can write to users who share a chat with it;
 * the message is kept in a per-user pseudo chat `p2p:<open_id>`.
 */
function sendDirect(state: FeishuState, req: RouteInput): Reply {
  if (!isRecord(req.body) || typeof req.body.receive_id !== 'string') return invalidParam('receive_id is required');
  const openId = req.body.receive_id;
  const known = [...state.chats.values()].some((c) => c.botInChat !== false && c.members.some((m) => m.open_id === openId));
  if (!known) return invalidParam('invalid receive_id');
  const key = `p2p:${openId}`;
  if (!state.chats.has(key)) state.chats.set(key, { chatId: key, name: openId, ownerId: openId, managers: [], members: [{ open_id: openId, name: openId }] });
  const chat = state.chats.get(key);
  if (!chat) return invalidParam('invalid receive_id');
  return send(state, chat, { msgType: req.body.msg_type, content: req.body.content, uuid: req.body.uuid });
}
