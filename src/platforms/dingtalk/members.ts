import type { Member } from '../../domain/types';
import { PlatformError } from '../../errors';
import type { Logger } from '../../logger';
import type { DingTalkApi } from './api';
import type { DingTalkRecords } from './records';
import type { GroupFacts } from './state';

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const asStringMap = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

/**
 * Group members. Scene groups (and groups with the app's cool app) list through
 * `POST /v1.0/im/sceneGroups/members/batchQuery` with their group nicks
 * (https://open.dingtalk.com/document/development/query-group-members); an ordinary internal group has no member
 * API at all, which is remembered for a day so that it costs no call (and no quota) on every roster read.
 * The owner of a scene group comes from `POST /v1.0/im/sceneGroups/query` (`ownerUserId`;
 * https://open.dingtalk.com/document/development/query-group-information, model GetSceneGroupInfoResponseBody in
 * aliyun/dingtalk-sdk dingtalk/ts/src/im_1_0/client.ts), looked up once a week. The legacy `GET /chat/get` cannot
 * be used: its `chatid` is only one returned by the create-group API
 * (https://open.dingtalk.com/document/development/obtain-a-group-session), not the robot's openConversationId, and
 * DingTalk's conversion API goes the other way only (`/v1.0/im/chat/{chatId}/convertToOpenConversationId`).
 * Elsewhere, and as admins everywhere, the secretaries are the senders DingTalk flags `isAdmin` (decode.ts).
 */
export class DingTalkMembers {
  constructor(
    private readonly api: DingTalkApi,
    private readonly groups: GroupFacts,
    private readonly records: Pick<DingTalkRecords, 'admins' | 'platformNames'>,
    private readonly log: Logger,
    private readonly pageSize = 1000,
  ) {}

  /** The group's members; undefined for a group DingTalk keeps no member list for (an ordinary internal group). */
  async list(chatId: string): Promise<Member[] | undefined> {
    if (await this.groups.noMemberApi(chatId)) return undefined;
    const ids: string[] = [];
    const nicks: Record<string, string> = {};
    let nextToken: string | undefined;
    for (let page = 0; page < 200; page++) {
      let res: Record<string, unknown>;
      try {
        res = await this.api.call({
          method: 'POST',
          base: 'api',
          path: '/v1.0/im/sceneGroups/members/batchQuery',
          body: { openConversationId: chatId, maxResults: this.pageSize, ...(nextToken ? { nextToken } : {}) },
        });
      } catch (err) {
        // Any permanent answer means this group has no member list for us: an ordinary group
        // (groupPermissionDenied, coolAppUninstalled …), a missing permission, or a code we have never seen. The
        // duty gets an open audience (or the 名单); a transient one (5xx, throttling) is thrown and retried.
        if (err instanceof PlatformError && err.permanent) {
          const code = String(err.platformCode ?? 'unknown');
          this.log.info({ chatId, code }, 'dingtalk: no member list for this group (batchQuery refused); open audience or 名单');
          await this.groups.markNoMemberApi(chatId, code);
          return undefined;
        }
        throw err;
      }
      ids.push(...asStrings(res.memberUserIds));
      Object.assign(nicks, asStringMap(res.staffIdNickMap));
      nextToken = res.hasMore === true && typeof res.nextToken === 'string' ? res.nextToken : undefined;
      if (!nextToken) break;
    }
    const [owner, admins, cached] = await Promise.all([
      this.owner(chatId),
      this.records.admins({ platform: 'dingtalk', chatId }),
      this.records.platformNames('dingtalk', ids.filter((id) => !nicks[id])),
    ]);
    return [...new Set(ids)].map((id) => ({
      id,
      name: nicks[id] ?? cached.get(id) ?? id,
      platformRole: id === owner ? 'owner' : admins.has(id) ? 'admin' : 'member',
    }));
  }

  /** The scene group's owner, or undefined when DingTalk cannot tell (looked up at most once a week per group). */
  private async owner(chatId: string): Promise<string | undefined> {
    const cached = await this.groups.owner(chatId);
    if (cached !== undefined) return cached || undefined;
    try {
      const res = await this.api.call({ method: 'POST', base: 'api', path: '/v1.0/im/sceneGroups/query', body: { openConversationId: chatId } });
      const owner = typeof res.ownerUserId === 'string' ? res.ownerUserId : '';
      await this.groups.saveOwner(chatId, owner);
      return owner || undefined;
    } catch (err) {
      if (err instanceof PlatformError && err.permanent) {
        await this.groups.saveOwner(chatId, '');
        return undefined;
      }
      this.log.warn({ err, chatId }, 'dingtalk group owner unavailable');
      return undefined;
    }
  }

  /**
   * The users directly in a department (`POST /topapi/user/listid`, a contacts API: free of the monthly quota;
   * https://open.dingtalk.com/document/development/query-the-list-of-department-userids). Names come from those
   * seen in messages; the others show their id until they speak.
   */
  async department(deptId: string): Promise<Member[]> {
    const res = await this.api.call({ method: 'POST', base: 'oapi', path: '/topapi/user/listid', body: { dept_id: Number(deptId) }, quota: false });
    const result = typeof res.result === 'object' && res.result !== null ? (res.result as Record<string, unknown>) : {};
    const ids = asStrings(result.userid_list);
    const names = await this.records.platformNames('dingtalk', ids);
    return ids.map((id) => ({ id, name: names.get(id) ?? id }));
  }
}
