import { missingParam } from './routes-auth';
import type { DingState } from './state';
import { apiError, apiOk, hexId, isRecord, oapiError, oapiOk, type Reply, type RouteInput } from './types';

export const MEMBERS_PAGE_MAX = 1000;
export const unionIdOf = (userId: string): string => `union${Buffer.from(userId).toString('hex')}`;

type SceneGroup = NonNullable<ReturnType<DingState['group']>>;

/**
 * The opening both scene-group APIs share: the body names a known group that is a scene group, or the documented
 * refusal (groupPermissionDenied, "该群没有安装群模板", https://open.dingtalk.com/document/development/query-group-members).
 */
function sceneGroupOf(state: DingState, input: RouteInput): { b: Record<string, unknown>; group: SceneGroup } | Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  if (typeof b.openConversationId !== 'string' || b.openConversationId === '') return missingParam('openConversationId');
  const group = state.group(b.openConversationId);
  if (!group) return apiError(400, 'invalid.openConversationId', '无效的openConversationId');
  if (group.scene !== true) return apiError(400, 'groupPermissionDenied', '该群没有安装群模板');
  return { b, group };
}

/**
 * POST /v1.0/im/sceneGroups/members/batchQuery (https://open.dingtalk.com/document/development/query-group-members):
 * scene groups only; `maxResults` (1..1000) is required, `nextToken` is the opaque cursor from the previous page
 * (the fake uses an offset). nextToken is only present while hasMore is true.
 */
export function sceneMembers(state: DingState, input: RouteInput): Reply {
  const found = sceneGroupOf(state, input);
  if (!('group' in found)) return found;
  const { b, group } = found;
  if (b.maxResults === undefined) return missingParam('maxResults');
  const max = Number(b.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > MEMBERS_PAGE_MAX) {
    return apiError(400, 'param.error', `maxResults必须在1到${MEMBERS_PAGE_MAX}之间`);
  }
  const start = b.nextToken === undefined || b.nextToken === '' ? 0 : Number(b.nextToken);
  if (!Number.isInteger(start) || start < 0 || start > group.memberUserIds.length) {
    return apiError(400, 'param.error', 'nextToken无效');
  }
  const page = group.memberUserIds.slice(start, start + max);
  const hasMore = start + max < group.memberUserIds.length;
  return apiOk({
    success: true,
    memberUserIds: page,
    hasMore,
    ...(hasMore ? { nextToken: String(start + max) } : {}),
    unionIdList: page.map(unionIdOf),
    staffIdNickMap: Object.fromEntries(page.map((u) => [u, state.nickOf(u)])),
    unionIdNickMap: Object.fromEntries(page.map((u) => [unionIdOf(u), state.nickOf(u)])),
  });
}

/** POST /topapi/user/listid?access_token= {dept_id} → users directly in that department (JSON or form body). */
export function userListId(state: DingState, input: RouteInput): Reply {
  const b = isRecord(input.body) ? input.body : {};
  const dept = Number(b.dept_id);
  if (b.dept_id === undefined || b.dept_id === '' || !Number.isInteger(dept)) return oapiError(40035, '缺少参数 dept_id');
  const users = [...state.users.values()].filter((u) => (u.deptIds ?? []).includes(dept));
  if (users.length === 0 && dept !== 1) return oapiError(60003, '部门不存在');
  return oapiOk({ result: { userid_list: users.map((u) => u.userId) }, request_id: hexId(8) });
}

/**
 * GET /chat/get?access_token&chatid: the legacy group API. Its `chatid` is "仅支持通过调用服务端创建群会话接口获取的
 * chatid参数值" (https://open.dingtalk.com/document/development/obtain-a-group-session), never the robot's
 * openConversationId (`cid…`): only groups given a `chatId` are found.
 */
export function chatGet(state: DingState, input: RouteInput): Reply {
  const chatid = input.query.chatid;
  if (!chatid) return oapiError(40035, '缺少参数 chatid');
  const g = state.groupByChatId(chatid);
  if (!g) return oapiError(40035, '不合法的参数 chatid');
  return oapiOk({
    chat_info: {
      chatid,
      name: g.title,
      owner: g.ownerUserId ?? g.memberUserIds[0] ?? '',
      useridlist: [...g.memberUserIds],
      agentidlist: [],
      conversationTag: 2,
    },
  });
}

/**
 * POST /v1.0/im/sceneGroups/query {openConversationId, coolAppCode?}: a scene group's brief information
 * (https://open.dingtalk.com/document/development/query-group-information; model GetSceneGroupInfoResponseBody in
 * aliyun/dingtalk-sdk dingtalk/ts/src/im_1_0/client.ts). The page lists no error codes: a group without the app's
 * group template answers as the scene-group member API does (groupPermissionDenied, "该群没有安装群模板",
 * https://open.dingtalk.com/document/development/query-group-members), an unknown group invalid.openConversationId.
 */
export function sceneGroupInfo(state: DingState, input: RouteInput): Reply {
  const found = sceneGroupOf(state, input);
  if (!('group' in found)) return found;
  const { group } = found;
  return apiOk({
    success: true,
    openConversationId: group.openConversationId,
    templateId: 'faketemplate0001',
    title: group.title,
    ownerUserId: group.ownerUserId ?? group.memberUserIds[0] ?? '',
    icon: '@lADPDfakeicon',
    groupUrl: `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(group.openConversationId)}`,
    status: 1,
  });
}
