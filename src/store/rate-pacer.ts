import { runScript } from './run-script';
import type { StoreConnection } from './redis-cluster';
import type { PaceBucket, Pacer } from '../platforms/pacer';
import type { Keys } from './redis';
import { RedisStore } from './repo-base';

/*
 * Outbound pacing shared by every process on one Redis (GCRA: a "theoretical arrival time" per bucket).
 * Key layout (P = key prefix):
 *   P:pace:<bucket>   string  the next free slot, epoch ms; expires when idle
 * `reserve` hands each caller the next slot of every bucket it names and moves the buckets forward atomically,
 * so N processes together never exceed the platform's limits; the caller sleeps until its slot.
 * One short script: reserving several buckets must be a single atomic read-modify-write
 * (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/); WATCH would livelock at 50 requests
 * a second.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local slot = now
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat > slot then slot = tat end
end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i + 1])
  redis.call('SET', key, tostring(slot + interval), 'PX', math.ceil(math.max(1000, slot + interval - now + 1000)))
end
return slot - now
`;

/** Push a bucket's next slot to at least `until` (after a 429: pause the app or the chat). */
const HOLD = `
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > tat then redis.call('SET', KEYS[1], ARGV[1], 'PX', math.ceil(math.max(1000, untilMs - tonumber(ARGV[2]) + 1000))) end
return 1
`;

export type { PaceBucket };

export class RatePacer extends RedisStore implements Pacer {
  constructor(
    redis: StoreConnection,
    prefix: string | Keys,
    /** Real time: pacing is about when requests actually leave, never the domain's (test) clock. */
    private readonly clock: () => number = Date.now,
  ) {
    super(redis, prefix);
  }

  /** Milliseconds to wait before sending (0: now). The slot is taken. */
  async reserve(buckets: readonly PaceBucket[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const keys = buckets.map((b) => this.keys.family('pace', 'pace', b.name));
    const intervals = buckets.map((b) => String(Math.max(1, Math.ceil(b.intervalMs))));
    const wait = await runScript(this.redis, RESERVE, keys.length, ...keys, String(this.clock()), ...intervals);
    return Number(wait);
  }

  /**
   * Reserve, then sleep until the slot. A caller that wakes well after its slot (the event loop stalled) takes a
   * fresh slot instead of sending: otherwise every late sleeper would leave at once and burst past the limit.
   */
  async acquire(buckets: readonly PaceBucket[], lateToleranceMs = 20): Promise<void> {
    // Narrowest first (listed widest first): a busy chat waits for its own slot before it takes one of the app's,
    // so it never pushes the app-wide schedule back for every other chat.
    for (const bucket of [...buckets].reverse()) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const wait = await this.reserve([bucket]);
        if (wait <= 0) break;
        const due = this.clock() + wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.clock() - due <= lateToleranceMs) break;
      }
    }
  }

  /** No slot of `bucket` before `untilMs` (epoch). */
  async hold(bucket: string, untilMs: number): Promise<void> {
    await runScript(this.redis, HOLD, 1, this.keys.family('pace', 'pace', bucket), String(untilMs), String(this.clock()));
  }
}
