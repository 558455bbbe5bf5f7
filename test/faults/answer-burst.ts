import type { Redis } from 'ioredis';
import type { Duty, HistoryEntry, Member } from '../../src/domain/types';
import type { Keys } from '../../src/store/keys';
import type { ChatRepo } from '../../src/store/chat-repo';
import type { DutyRepo } from '../../src/store/duty-repo';
import { type AnswerPush, type BotProcess, SECRETARY, toastType, waitFor } from './support';

/**
 * The failover fault tests' shared burst (sentinel.fault.ts, cluster-failover.fault.ts): members answer meeting cards
 * (card callbacks, each acknowledged by the bot) at a steady pace while the test kills a Redis master under the bot;
 * then what was acknowledged is read back from the promoted replica.
 */

/** `count` members of one chat, the first the secretary (the owner). */
export const burstMembers = (tag: string, count: number): Member[] =>
  Array.from({ length: count }, (_, i) => ({ id: i === 0 ? SECRETARY : `ou_${tag}member${String(i).padStart(20, '0')}`, name: `党员${i}` }));

/** The chat's roster and `count` meetings two days ahead, for everyone, seeded straight into the store. */
export async function seedMeetings(store: { readonly chats: ChatRepo; readonly duties: DutyRepo }, chatId: string, members: readonly Member[], count: number): Promise<Duty[]> {
  const now = Date.now();
  const chat = { platform: 'feishu' as const, chatId };
  await store.chats.saveRoster(chat, members.map((m, i) => ({ ...m, platformRole: i === 0 ? 'owner' : 'member' })), now, '第一党支部');
  const duties: Duty[] = [];
  for (let i = 0; i < count; i++) {
    duties.push(
      await store.duties.create(
        { chat, kind: 'meeting', label: '会议', title: `支部委员会${i}`, at: now + 2 * 86_400_000 + i * 60_000, organizer: members[0] ?? { id: SECRETARY, name: '书记' }, audience: members.map((m) => m.id), reminderOffsets: [] },
        now,
      ),
    );
  }
  return duties;
}

const answered = (p: AnswerPush): boolean => p.status === 200 && p.toast === 'success';

/** `pushers` loops clicking 参加 for each (duty, member) pair in turn until `stop()`. */
export class AnswerBurst {
  readonly pushes: AnswerPush[] = [];
  private next = 0;
  private stopAt = Number.POSITIVE_INFINITY;
  private readonly running: Promise<void[]>;

  constructor(
    private readonly bot: BotProcess,
    private readonly chatId: string,
    private readonly pairs: readonly { readonly dutyId: string; readonly member: string }[],
    pushers = 4,
  ) {
    this.running = Promise.all(Array.from({ length: pushers }, () => this.push()));
  }

  private async push(): Promise<void> {
    while (Date.now() < this.stopAt && this.next < this.pairs.length) {
      const pair = this.pairs[this.next++];
      if (!pair) break;
      const sentAt = Date.now();
      try {
        const res = await this.bot.click({ chatId: this.chatId, dutyId: pair.dutyId, member: pair.member, timeoutMs: 3000 });
        const toast = toastType(res.json);
        this.pushes.push({ ...pair, sentAt, ackAt: Date.now(), status: res.status, ...(toast ? { toast } : {}) });
      } catch {
        this.pushes.push({ ...pair, sentAt, ackAt: Date.now(), status: 'error' });
      }
      // A steady burst, not a flood: answers keep coming through the whole failover (refused ones, slower).
      await new Promise((resolve) => setTimeout(resolve, this.pushes.at(-1)?.status === 200 ? 20 : 200));
    }
  }

  /** Answers acknowledged as a success. */
  acknowledged(): AnswerPush[] {
    return this.pushes.filter(answered);
  }

  async stop(): Promise<void> {
    this.stopAt = 0;
    await this.running;
  }
}

export interface FailoverTimes {
  /** When the master was killed, /readyz first said 503, and then 200 again. */
  readonly kill: number;
  readonly down: number;
  readonly up: number;
}

/** Run `step`; a failure carries the tail of the bot's log. */
export async function withBotLog<T>(bot: BotProcess, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${bot.tail(8)}`, { cause: err });
  }
}

/** `kill` a master, then wait for /readyz 503 (while nothing serves its data), then 200 (once a replica does). */
export function killAndRecover(bot: BotProcess, kill: () => Promise<number>, upWithinMs = 40000): Promise<FailoverTimes> {
  return withBotLog(bot, async () => {
    const at = await kill();
    await waitFor(async () => ((await bot.status('/readyz')) === 503 ? true : undefined), 10000, '/readyz 503 after the kill', 50);
    const down = Date.now();
    await waitFor(async () => ((await bot.status('/readyz')) === 200 ? true : undefined), upWithinMs, '/readyz 200 after the failover', 100);
    return { kill: at, down, up: Date.now() };
  });
}

/**
 * Once 100 answers were acknowledged over a second ago, kill the master (killAndRecover), then wait for 20 answers
 * sent and acknowledged after /readyz said 200 again. The burst is stopped whatever happens.
 */
export async function failOverMidBurst(bot: BotProcess, burst: AnswerBurst, kill: () => Promise<number>): Promise<FailoverTimes> {
  try {
    await withBotLog(bot, () => waitFor(() => burst.acknowledged().filter((p) => p.ackAt < Date.now() - 1100).length >= 100, 30000, '100 answers acknowledged over a second ago'));
    const times = await killAndRecover(bot, kill);
    await withBotLog(bot, () => waitFor(() => burst.acknowledged().filter((p) => p.sentAt > times.up).length >= 20, 15000, '20 answers acknowledged after the failover'));
    return times;
  } finally {
    await burst.stop();
  }
}

/** The answers (of `pushes`) whose record or history entry `reader` (one node, holding every record) lacks. */
async function lostAnswers(reader: Redis, keys: Keys, pushes: readonly AnswerPush[]): Promise<{ missing: AnswerPush[]; withoutHistory: AnswerPush[] }> {
  const missing: AnswerPush[] = [];
  const withoutHistory: AnswerPush[] = [];
  for (const p of pushes) {
    const raw = await reader.hget(keys.duty(p.dutyId, 'answers'), p.member);
    const answer = raw ? (JSON.parse(raw) as { status?: string }) : undefined;
    if (answer?.status !== 'attending') missing.push(p);
    const history = (await reader.lrange(keys.duty(p.dutyId, 'history'), 0, -1)).map((h) => JSON.parse(h) as HistoryEntry);
    if (!history.some((h) => h.type === 'answer' && h.by === p.member && h.status === 'attending')) withoutHistory.push(p);
  }
  return { missing, withoutHistory };
}

/**
 * What the failover tests check once /readyz said 200 again: at least 100 answers acknowledged over 1 s before the
 * kill and 20 sent after the recovery; before the kill every answer acknowledged as a success, and meanwhile none
 * refused otherwise than by a 503; and every one of them
 * on `reader` (the promoted replica, holding every record) with its history entry. The last second before the kill
 * may be lost (replication is asynchronous): it is only counted, in the line logged as `label`.
 */
export async function expectAnswersKept(reader: Redis, keys: Keys, burst: AnswerBurst, t: FailoverTimes, label: string): Promise<void> {
  const acked = burst.acknowledged();
  const mustSurvive = acked.filter((p) => p.ackAt < t.kill - 1000);
  const lastSecond = acked.filter((p) => p.ackAt >= t.kill - 1000 && p.ackAt < t.kill);
  const afterFailover = acked.filter((p) => p.sentAt > t.up);
  expect(mustSurvive.length).toBeGreaterThanOrEqual(100);
  expect(afterFailover.length).toBeGreaterThanOrEqual(20);
  expect(burst.pushes.filter((p) => p.ackAt < t.kill && !answered(p))).toEqual([]);
  // A click refused meanwhile is answered 503 (the platform retries it) or not at all, never with an error toast.
  expect(burst.pushes.filter((p) => p.status !== 'error' && p.status !== 503 && !answered(p))).toEqual([]);
  const { missing, withoutHistory } = await lostAnswers(reader, keys, [...mustSurvive, ...lastSecond, ...afterFailover]);
  const lostInLastSecond = missing.filter((p) => p.ackAt >= t.kill - 1000 && p.ackAt < t.kill).length;
  console.log(
    `[faults] ${label}: ${mustSurvive.length} answers acknowledged over 1 s before the kill, ${lostInLastSecond} of ${lastSecond.length} in the last second lost; /readyz 503 ${t.down - t.kill} ms and 200 ${t.up - t.kill} ms after the kill; ${afterFailover.length} answers after the failover`,
  );
  const mustBeThere = (p: AnswerPush): boolean => p.ackAt < t.kill - 1000 || p.sentAt > t.up;
  expect(missing.filter(mustBeThere)).toEqual([]);
  expect(withoutHistory.filter(mustBeThere)).toEqual([]);
}
