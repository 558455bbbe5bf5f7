import type { Member } from '../../src/domain/types';
import { Redis } from 'ioredis';
import { eventually, REDIS_URL, removePrefix, startBot, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const secretary: Member = { id: 'u1', name: '王建国', platformRole: 'owner' };

/** Delete every BullMQ key of a bot's prefix (a flushed queue, a restored backup, a replica that lagged). */
async function dropQueueKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:bull:*`);
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

describe('start-up re-planning through Bot.start()', () => {
  const prefix = uniquePrefix();
  let second: StartedBot | undefined;

  afterEach(async () => {
    await second?.stop();
    await removePrefix(prefix);
  });

  it('should still deliver a pending reminder exactly once when the queue keys were lost while the bot was down', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' };
    // First run: the duty and its reminder (1 minute before, due in ~3 s) are recorded; no worker sends it.
    const first = await startBot({ workers: false, env });
    const at = Date.now() + 60_000 + 3000;
    const duty = await first.bot.services.dutyService.create(
      { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '支部委员会', at, offsets: [1] },
      Date.now(),
    );
    expect(await first.bot.queues.reminders.getJob(`rem-${duty.id}-1-${at - 60_000}`)).toBeDefined();
    await first.bot.stop();

    // While the bot is down every BullMQ key of its prefix is lost; the records stay.
    expect(await dropQueueKeys(prefix)).toBeGreaterThan(0);

    // Second run, started the way main.ts starts it: the reminder comes back from the records and is sent once.
    second = await startBot({ env });
    await second.bot.reconciled;
    const driver = new SandboxDriver(second);
    const reminders = async () => (await driver.cardsOf(duty.number)).filter((m) => m.card.banner?.includes('提醒'));
    const sent = await eventually(async () => (await reminders()).length > 0 && reminders(), 10_000, 'the re-planned reminder');
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reminders()).toHaveLength(1);
  });

  it('should bring back the reminders of every open duty, more than a page of them, with none twice', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' };
    const first = await startBot({ workers: false, env });
    const start = Date.now() + 10 * 86_400_000;
    const chats = Array.from({ length: 9 }, (_, i) => ({ platform: 'sandbox' as const, chatId: `replan-${i}` }));
    for (const c of chats) await first.bot.services.chats.saveRoster(c, [secretary], Date.now(), c.chatId);
    // 450 duties in 9 chats: more than two pages of the pass (src/app/reconcile.ts RECONCILE_PAGE = 200).
    const made = await first.bot.services.dutyService.createMany(
      Array.from({ length: 450 }, (_, i) => ({
        chat: chats[i % 9] ?? chat,
        organizer: secretary,
        kind: 'meeting' as const,
        label: '会议',
        title: `支部委员会${i}`,
        at: start + i * 60_000,
        offsets: [60, 1440],
      })),
      Date.now(),
    );
    expect(made).toHaveLength(450);
    const planned = (await first.bot.queues.reminders.getJobCounts('delayed')).delayed ?? 0;
    expect(planned).toBeGreaterThanOrEqual(900);
    await first.bot.stop();
    expect(await dropQueueKeys(prefix)).toBeGreaterThan(0);

    second = await startBot({ workers: false, env });
    await second.bot.reconciled;
    const ids = (await second.bot.queues.reminders.getJobs(['delayed'])).map((j) => j.id);
    expect(ids).toHaveLength(planned);
    expect(new Set(ids).size).toBe(planned);
    for (const duty of made) expect(ids).toContain(`rem-${duty.id}-60-${duty.at - 3_600_000}`);
  }, 60_000);
});
