import type { GroupFacts } from '../../platforms/dingtalk/state';
import { RedisStore } from '../repo-base';

/*
 * What DingTalk's group APIs answered (P = key prefix):
 *   P:dingtalk:nomembers:<cid>   string code          the group has no member API (ordinary group), checked daily
 *   P:dingtalk:owner:<cid>       string userId | ""   the scene group's owner from sceneGroups/query ("" = unknown), 7 days
 */
const DAY = 24 * 3600;

export class DingTalkGroups extends RedisStore implements GroupFacts {
  async noMemberApi(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.k('dingtalk', 'nomembers', chatId))) ?? undefined;
  }

  async markNoMemberApi(chatId: string, code: string): Promise<void> {
    await this.redis.set(this.keys.k('dingtalk', 'nomembers', chatId), code, 'EX', DAY);
  }

  async owner(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.k('dingtalk', 'owner', chatId))) ?? undefined;
  }

  async saveOwner(chatId: string, owner: string): Promise<void> {
    await this.redis.set(this.keys.k('dingtalk', 'owner', chatId), owner, 'EX', 7 * DAY);
  }
}
