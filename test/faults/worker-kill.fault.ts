import {
  BotProcess,
  duplicates,
  feishuEnv,
  freePort,
  queueOf,
  reminderCards,
  seedReminders,
  SHARED_REDIS_URL,
  sharedRedisWorld,
  successfulPostsByUuid,
  waitFor,
} from './support';

/**
 * Issue #7.1: the worker process is SIGKILLed in the middle of a burst of 1,000 reminders and started again.
 * The sent log (keyed by job id) and Feishu's `uuid` (the same job id) must together give one message per
 * reminder; BullMQ gives the jobs the dead process held back once their locks expire (stalled-job check).
 */
const CHATS = 100;
const PER_CHAT = 10;
const TOTAL = CHATS * PER_CHAT;
const CONCURRENCY = 20;
const chatIdOf = (i: number): string => `oc_kill${String(i).padStart(25, '0')}`;

describe('fault: the worker process is killed (SIGKILL) in the middle of a burst of 1,000 reminders', () => {
  const world = sharedRedisWorld('kill');
  const { prefix, fake } = world;

  it('should deliver each of the 1,000 reminders exactly once after a SIGKILL and a restart', async () => {
    const env = feishuEnv(fake, SHARED_REDIS_URL, prefix, { REMINDER_CONCURRENCY: String(CONCURRENCY) });
    const first = new BotProcess('kill-1', await freePort(), env);
    await first.ready();

    const duties = await seedReminders(world.store, fake, { chats: CHATS, perChat: PER_CHAT, dueAt: Date.now() + 2000, chatId: chatIdOf });
    expect(duties).toHaveLength(TOTAL);

    // Kill when roughly a third has arrived.
    await waitFor(() => reminderCards(fake).length >= TOTAL / 3, 60000, 'a third of the reminders at the fake', 5);
    const killAt = Date.now();
    await first.kill('SIGKILL');
    const atKill = reminderCards(fake).length;
    expect(atKill).toBeLessThan(TOTAL * 0.6);

    const second = new BotProcess('kill-2', await freePort(), env);
    await second.ready();

    // Every reminder job completes (those the dead process held come back after their lock expires, ~30 s).
    const { queue: reminders, close: closeQueue } = queueOf(SHARED_REDIS_URL, prefix, 'reminders');
    try {
      await waitFor(
        async () => {
          const c = await reminders.getJobCounts('completed', 'active', 'waiting', 'prioritized', 'failed');
          return c.completed === TOTAL && c.active === 0 && c.waiting === 0 && c.prioritized === 0 ? c : undefined;
        },
        150000,
        'all 1,000 reminder jobs completed',
        250,
      );
      expect(await reminders.getFailedCount()).toBe(0);
    } finally {
      await closeQueue();
    }

    const cards = reminderCards(fake);
    const dutyIds = new Set(duties.map((d) => d.id));
    expect(cards.filter((c) => !dutyIds.has(c.dutyId))).toEqual([]);
    // Exactly once: by duty, by uuid, by content.
    expect(new Set(cards.map((c) => c.dutyId)).size).toBe(TOTAL);
    expect(cards).toHaveLength(TOTAL);
    expect(duplicates(cards.map((c) => c.dutyId))).toEqual(new Map());
    expect(duplicates(cards.map((c) => c.uuid))).toEqual(new Map());
    expect(duplicates(cards.map((c) => c.content))).toEqual(new Map());
    // The uuid is the reminder job id `rem-<duty>-<offset>-<dueAt>`.
    for (const c of cards) expect(c.uuid?.startsWith(`rem-${c.dutyId}-60-`)).toBe(true);

    // The raw call log: every success beyond the first for a uuid is a duplicate POST the fake absorbed. Only a
    // job the killed process was running (at most REMINDER_CONCURRENCY) can post twice.
    const posts = successfulPostsByUuid(fake, 'rem-');
    expect(posts.size).toBe(TOTAL);
    const absorbed = [...posts.values()].reduce((sum, n) => sum + n - 1, 0);
    console.log(`[faults] worker-kill: ${atKill}/${TOTAL} reminders had arrived at the SIGKILL; duplicate POSTs absorbed by uuid: ${absorbed}`);
    expect(absorbed).toBeLessThanOrEqual(CONCURRENCY);
    expect(Math.max(...posts.values())).toBeLessThanOrEqual(2);
    // Each absorbed duplicate is a job the killed process had posted (before the kill) and the new one re-ran.
    for (const [uuid, n] of posts) {
      if (n < 2) continue;
      const at = fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages' && c.status === 200 && JSON.stringify(c.body).includes(`"uuid":"${uuid}"`)).map((c) => c.at);
      expect({ uuid, firstBeforeKill: (at[0] ?? Infinity) < killAt + 50, secondAfterKill: (at[1] ?? 0) >= killAt }).toEqual({ uuid, firstBeforeKill: true, secondAfterKill: true });
    }
    // The restarted process sent the rest.
    expect(second.lines().filter((l) => l.msg === 'reminder sent').length).toBeGreaterThanOrEqual(TOTAL - atKill - CONCURRENCY);
    await second.kill('SIGTERM');
  }, 240000);
});
