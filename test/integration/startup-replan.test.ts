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
});
