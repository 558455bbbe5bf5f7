import type { CallbackLedger } from '../../platforms/dingtalk/state';
import { RedisStore } from '../repo-base';

/*
 * DingTalk card callbacks (P = key prefix):
 *   P:dingtalk:cb:<eventId>        string "1"   card callbacks taken once; kept 2 h, past the 1 h signature window,
 *                                               so a replayed click never undoes a later answer
 *   P:dingtalk:cbroute:<hash>      string url   the HTTP card-callback route registered for this URL (30 days)
 */
const CALLBACK_TTL = 2 * 3600;
const ROUTE_TTL = 30 * 24 * 3600;

export class DingTalkCallbacks extends RedisStore implements CallbackLedger {
  async claim(eventId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.k('dingtalk', 'cb', eventId), '1', 'EX', CALLBACK_TTL, 'NX')) === 'OK';
  }

  async route(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.k('dingtalk', 'cbroute', key))) ?? undefined;
  }

  async saveRoute(key: string, url: string): Promise<void> {
    await this.redis.set(this.keys.k('dingtalk', 'cbroute', key), url, 'EX', ROUTE_TTL);
  }
}
