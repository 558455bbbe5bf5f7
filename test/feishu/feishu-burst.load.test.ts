import type { Duty } from '../../src/domain/types';
import { eventually } from '../helpers/harness';
import { MEMBERS, feishuWorld, isCard, type FeishuWorld } from './support';

const chatIdOf = (i: number): string => `oc_burst${String(i).padStart(24, '0')}`;

/** Seed `n` chats with cached rosters and one meeting each whose 1-minute reminder comes due in `dueInMs`. */
async function seedReminders(w: FeishuWorld, n: number, dueInMs: number): Promise<Duty[]> {
  const { chats, duties, planner } = w.started.bot.services;
  const now = w.clock.now();
  const members = MEMBERS.map((m) => ({ id: m.open_id, name: m.name }));
  const out: Duty[] = [];
  for (let i = 0; i < n; i++) {
    const chatId = chatIdOf(i);
    w.fake.addChat({ chatId, name: `支部${i}`, ownerId: MEMBERS[0]?.open_id ?? '', managers: [], members: MEMBERS.map((m) => ({ ...m })) });
    const chat = { platform: 'feishu' as const, chatId };
    await chats.saveRoster(chat, members, now);
    const duty = await duties.create(
      {
        chat,
        kind: 'meeting',
        label: '会议',
        title: `支部委员会${i}`,
        at: now + 60_000 + dueInMs,
        organizer: members[0] ?? { id: 'x', name: 'x' },
        audience: members.map((m) => m.id),
        reminderOffsets: [1],
      },
      now,
    );
    await planner.plan(duty, now);
    out.push(duty);
  }
  return out;
}

async function remindersPerChat(w: FeishuWorld, n: number): Promise<number[]> {
  return Array.from({ length: n }, (_, i) => w.fake.messagesIn(chatIdOf(i)).filter((m) => isCard(m) && JSON.stringify(m.content).includes('提醒：')).length);
}

describe('Feishu sending under load', () => {
  let w: FeishuWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should deliver a burst of reminders to 300 chats with no 429 from the fake', async () => {
    w = await feishuWorld({ env: { REMINDER_CONCURRENCY: '50' } });
    await seedReminders(w, 300, 1000);
    w.clock.t = Date.now() + 1000;
    await eventually(async () => (await remindersPerChat(w, 300)).every((c) => c === 1), 40000, 'every reminder');
    await new Promise((r) => setTimeout(r, 500));
    expect((await remindersPerChat(w, 300)).every((c) => c === 1)).toBe(true);
    expect(w.fake.stats().rateLimited429).toBe(0);
    expect(w.fake.stats().rateLimited230020).toBe(0);
  }, 60000);

  it('should deliver every reminder exactly once with 30% of calls failing with 5xx and 429', async () => {
    w = await feishuWorld({ env: { REMINDER_CONCURRENCY: '50' } });
    await seedReminders(w, 100, 500);
    w.fake.injectFaults({ rate: 0.3, kinds: ['5xx', '429'], seed: 7 });
    w.clock.t = Date.now() + 500;
    await eventually(async () => (await remindersPerChat(w, 100)).every((c) => c >= 1), 90000, 'every reminder despite faults');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await remindersPerChat(w, 100)).toEqual(Array.from({ length: 100 }, () => 1));
    expect(w.fake.stats().faultsInjected).toBeGreaterThan(10);
    expect(await w.started.bot.queues.reminders.getFailedCount()).toBe(0);
  }, 120000);

  it('should fail without retries and mark the duty when the bot was removed from the chat', async () => {
    w = await feishuWorld();
    const [duty] = await seedReminders(w, 1, 300);
    const fakeChat = w.fake.chat(chatIdOf(0));
    if (fakeChat) fakeChat.botInChat = false;
    w.clock.t = Date.now() + 300;
    const failed = await eventually(async () => (await w.started.bot.queues.reminders.getFailed())[0], 8000, 'the failed job');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('230002');
    const marked = await w.started.bot.services.duties.get(duty?.id ?? '');
    expect(marked?.deliveryError?.code).toBe('230002');
    expect((await w.started.bot.services.duties.history(duty?.id ?? '')).some((h) => h.type === 'delivery-failed')).toBe(true);
  });
});
