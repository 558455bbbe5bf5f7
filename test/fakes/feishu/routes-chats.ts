import { chatDissolved } from './faults';
import type { RouteInput } from './routes-messages';
import { FAKE_TENANT_KEY, type FeishuState } from './state';
import { fail, ok, type FakeChat, type Reply } from './types';

const unknownChat = (): Reply => fail(232006, 'Your request specifies a chat_id which is invalid.');
const invalidParam = (ext: string): Reply => fail(232001, `Your request contains an invalid request parameter, ext=${ext}`);

function lookup(state: FeishuState, req: RouteInput): FakeChat | Reply {
  const chat = state.chats.get(req.params.chat_id ?? '');
  if (!chat) return unknownChat();
  if (chat.dissolved) return chatDissolved();
  return chat;
}

const isChat = (v: FakeChat | Reply): v is FakeChat => 'chatId' in v;

/** GET /open-apis/im/v1/chats/:chat_id — a bot outside the chat only sees name, avatar, count and status. */
export function getChat(state: FeishuState, req: RouteInput): Reply {
  const chat = lookup(state, req);
  if (!isChat(chat)) return chat;
  const basic = {
    avatar: 'https://example.invalid/avatar.png',
    name: chat.name,
    user_count: String(chat.members.length),
    chat_status: 'normal',
  };
  if (chat.botInChat === false) return ok(basic);
  return ok({
    ...basic,
    description: '',
    i18n_names: {},
    add_member_permission: 'all_members',
    share_card_permission: 'allowed',
    at_all_permission: 'all_members',
    edit_permission: 'all_members',
    owner_id_type: 'open_id',
    owner_id: chat.ownerId,
    user_manager_id_list: [...chat.managers],
    bot_manager_id_list: [],
    group_message_type: 'chat',
    chat_mode: 'group',
    chat_type: 'private',
    chat_tag: 'inner',
    join_message_visibility: 'all_members',
    leave_message_visibility: 'all_members',
    membership_approval: 'no_approval_required',
    moderation_permission: 'all_members',
    external: false,
    tenant_key: FAKE_TENANT_KEY,
    bot_count: '1',
  });
}

const encodeToken = (chatId: string, offset: number): string =>
  Buffer.from(`${chatId}|${offset}`, 'utf8').toString('base64url');

function decodeToken(chatId: string, token: string): number | undefined {
  const [id, off] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  const n = Number(off);
  return id === chatId && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * GET /open-apis/im/v1/chats/:chat_id/members, paginated as
 * https://open.feishu.cn/document/server-docs/group/chat-member/get describes; bots are never listed.
 */
export function listMembers(state: FeishuState, req: RouteInput): Reply {
  const chat = lookup(state, req);
  if (!isChat(chat)) return chat;
  if (chat.botInChat === false) return fail(232011, 'Operator can NOT be out of the chat.');
  const idType = req.query.member_id_type ?? 'open_id';
  if (idType !== 'open_id') return invalidParam('the fake supports member_id_type=open_id only');
  const size = req.query.page_size === undefined ? 20 : Number(req.query.page_size);
  if (!Number.isInteger(size) || size < 1 || size > 100) return invalidParam('page_size must be 1..100');
  let offset = 0;
  if (req.query.page_token !== undefined && req.query.page_token !== '') {
    const decoded = decodeToken(chat.chatId, req.query.page_token);
    if (decoded === undefined) return invalidParam('invalid page_token');
    offset = decoded;
  }
  const take = Math.min(size, state.opts.memberPageSize ?? size);
  const end = Math.min(offset + take, chat.members.length);
  const items = chat.members.slice(offset, end).map((m) => ({
    member_id_type: 'open_id',
    member_id: m.open_id,
    name: m.name,
    tenant_key: FAKE_TENANT_KEY,
  }));
  const hasMore = end < chat.members.length;
  return ok({
    items,
    ...(hasMore ? { page_token: encodeToken(chat.chatId, end) } : {}),
    has_more: hasMore,
    member_total: chat.members.length,
  });
}
