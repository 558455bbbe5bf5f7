import type * as lark from '@larksuiteoapi/node-sdk';
import type { Member } from '../../domain/types';

/** One paced, checked API call (FeishuClient.call): resolves to the answer's body. */
export type FeishuCall = (fn: () => Promise<unknown>) => Promise<{ data?: unknown }>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A chat's members with their role: the owner and managers come from the chat's info
 * (https://open.feishu.cn/document/server-docs/group/chat/get), the rest from all member pages
 * (https://open.feishu.cn/document/server-docs/group/chat-member/get), 100 a page.
 */
export async function listFeishuMembers(sdk: lark.Client, call: FeishuCall, chatId: string): Promise<Member[]> {
  const info = await call(() => sdk.im.v1.chat.get({ path: { chat_id: chatId }, params: { user_id_type: 'open_id' } }));
  const data = isRecord(info.data) ? info.data : {};
  const owner = typeof data.owner_id === 'string' ? data.owner_id : undefined;
  const managers = new Set(Array.isArray(data.user_manager_id_list) ? data.user_manager_id_list.filter((v): v is string => typeof v === 'string') : []);
  const members: Member[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await call(() =>
      sdk.im.v1.chatMembers.get({
        path: { chat_id: chatId },
        params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
      }),
    );
    const d = isRecord(res.data) ? res.data : {};
    for (const item of Array.isArray(d.items) ? d.items : []) {
      if (!isRecord(item) || typeof item.member_id !== 'string') continue;
      const id = item.member_id;
      const role = id === owner ? 'owner' : managers.has(id) ? 'admin' : 'member';
      members.push({ id, name: typeof item.name === 'string' ? item.name : id, platformRole: role });
    }
    pageToken = d.has_more === true && typeof d.page_token === 'string' ? d.page_token : undefined;
    if (!pageToken) break;
  }
  return members;
}
