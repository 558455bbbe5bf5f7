import { RedisStore } from './repo-base';

/*
 * Key layout (P = key prefix, D = duty id, M = member id):
 *   P:nudge:D:M   string "1" with a TTL of the window (2 h): M was nudged about D. Set with NX, so however
 *                 nudges are triggered (a reminder point, the day-of nudge, 催办) a member is nudged at most
 *                 once per window, across processes.
 */
export const NUDGE_WINDOW_MS = 2 * 3600 * 1000;

export class NudgeThrottle extends RedisStore {
  /** Claim the members not nudged within the window; returns the ids claimed now. */
  async claim(dutyId: string, memberIds: readonly string[], windowMs = NUDGE_WINDOW_MS): Promise<string[]> {
    if (memberIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of memberIds) pipeline.set(this.keys.inRecord(dutyId, 'nudge', dutyId, id), '1', 'PX', windowMs, 'NX');
    const res = (await pipeline.exec()) ?? [];
    return memberIds.filter((_, i) => res[i]?.[1] === 'OK');
  }

  /** Give claims back when the nudge could not be sent, so the next attempt may nudge them. */
  async release(dutyId: string, memberIds: readonly string[]): Promise<void> {
    if (memberIds.length > 0) await this.redis.del(...memberIds.map((id) => this.keys.inRecord(dutyId, 'nudge', dutyId, id)));
  }
}
