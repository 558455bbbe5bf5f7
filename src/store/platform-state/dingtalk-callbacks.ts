import type { StoreConnection } from '../redis-cluster';
import type { CallbackLedger } from '../../platforms/dingtalk/state';
import { Keys } from '../redis';

/*
 * DingTalk card callbacks (P = key prefix):
 *   P:dingtalk:cb:<eventId>        string "1"   card callbacks taken once; kept 2 h, past the 1 h signature window,
 *                                               so a replayed click never undoes a later answer
 *   P:dingtalk:cbroute:<hash>      string url   the HTTP card-callback route registered for this URL (30 days)
 */
const CALLBACK_TTL = 2 * 3600;
const ROUTE_TTL = 30 * 24 * 3600;

export class DingTalkCallbacks implements CallbackLedger {
  private readonly keys: Keys;

  constructor(
    private readonly redis: StoreConnection,
    prefix: string | Keys,
  ) {
    this.keys = Keys.of(prefix);
  }

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
