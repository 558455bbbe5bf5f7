import { BotProcess, feishuEnv, freePort, privateRedisWorld, reminderCards, seedReminders, sleep, Store, waitFor, type BotLogLine } from './support';

/**
 * The worker watchdog (src/queue/worker-watchdog.ts) against ioredis's own reconnects: a bot whose Redis is down for
 * 20 s must not replace its workers in a loop meanwhile (the watchdog's clock runs only while the base connection is
 * ready), and after Redis is back it replaces each at most once (a blocking client's retry may come up to 5 s after
 * the base one's, src/store/redis.ts `retryStrategy`); then reminders are sent again. WORKER_WATCHDOG_SECONDS is 3
 * here, tighter than the default 15, so a fight with the reconnects would show.
 */
const prefix = `faults-wdog-${Math.random().toString(36).slice(2, 8)}`;
const REPLACED = 'worker blocking connection not ready while Redis is: worker replaced';

describe('fault: the worker watchdog while Redis is down for 20 s', () => {
  const world = privateRedisWorld();

  it('should replace no worker while Redis is down, at most one per queue once it is back, and send reminders again', async () => {
    const { fake, redis } = world;
    const bot = new BotProcess('worker-watchdog-outage', await freePort(), feishuEnv(fake, redis.url, prefix, { WORKER_WATCHDOG_SECONDS: '3' }));
    await bot.ready(40000);
    const replaced = (): BotLogLine[] => bot.lines().filter((l) => l.msg === REPLACED);
    await sleep(5000);
    expect(replaced()).toEqual([]);

    const killedAt = await redis.kill();
    await sleep(20000);
    const duringOutage = replaced().length;
    await redis.start();
    const backAt = Date.now();
    await bot.ready(30000);
    // Three watchdog periods and more past the slowest reconnect.
    await sleep(15000);
    const perQueue = new Map<string, number>();
    for (const l of replaced()) perQueue.set(String(l.queue), (perQueue.get(String(l.queue)) ?? 0) + 1);
    console.log(`[faults] worker watchdog: Redis down ${backAt - killedAt} ms; ${duringOutage} workers replaced during the outage, ${replaced().length - duringOutage} after (${JSON.stringify(Object.fromEntries(perQueue))})`);
    expect(duringOutage).toBe(0);
    expect([...perQueue.values()].every((n) => n <= 1)).toBe(true);

    // Jobs flow again: reminders planned now are sent.
    const store = new Store(redis.url, prefix);
    try {
      const duties = await seedReminders(store, fake, { chats: 3, perChat: 1, dueAt: Date.now() + 1500, chatId: (i) => `oc_wdog${String(i).padStart(25, '0')}` });
      await waitFor(() => duties.every((d) => reminderCards(fake).some((c) => c.dutyId === d.id)), 20000, 'the reminders after the outage');
    } finally {
      await store.close();
    }
    await bot.kill('SIGTERM');
    expect(bot.lines().some((l) => l.msg === 'stopped')).toBe(true);
  }, 150000);
});
