import type { Duty } from '../../src/domain/types';
import { eventually } from '../helpers/harness';
import { USERS, dingWorld, pause, textOf, type DingWorld } from './support';

const groupOf = (i: number): string => `cidBurst${String(i).padStart(8, '0')}==`;

/** Seed `n` scene groups with cached rosters and one meeting each whose 1-minute reminder comes due in `dueInMs`. */
async function seedReminders(w: DingWorld, n: number, dueInMs: number): Promise<Duty[]> {
  const { chats, duties, planner } = w.started.bot.services;
  const now = w.clock.now();
  const members = USERS.map((u) => ({ id: u.userId, name: u.name }));
  const out: Duty[] = [];
  for (let i = 0; i < n; i++) {
    const chatId = groupOf(i);
    w.fake.addGroup({ openConversationId: chatId, title: `支部${i}`, memberUserIds: USERS.map((u) => u.userId), scene: true });
    const chat = { platform: 'dingtalk' as const, chatId };
    await chats.saveRoster(chat, members, now);
    const duty = await duties.create(
      { chat, kind: 'meeting', label: '会议', title: `支部委员会${i}`, at: now + 60_000 + dueInMs, organizer: members[0] ?? { id: 'x', name: 'x' }, audience: members.map((m) => m.id), reminderOffsets: [1] },
      now,
    );
    await planner.plan(duty, now);
    out.push(duty);
  }
  return out;
}

/** Reminders each group received: template cards with the 提醒 banner, or markdown messages with it. */
function remindersPerGroup(w: DingWorld, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const cards = [...w.fake.cards.values()].filter((c) => c.openSpaceId.endsWith(groupOf(i)) && (c.cardData.banner ?? '').includes('提醒'));
    const markdown = w.sent(groupOf(i)).filter((s) => s.msgKey === 'sampleMarkdown' && textOf(s).includes('提醒：'));
    return cards.length + markdown.length;
  });
}

describe('DingTalk sending under load', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should deliver a burst of reminders to 200 groups without one QPS refusal from the fake', async () => {
    w = await dingWorld({ template: false, env: { REMINDER_CONCURRENCY: '50' } });
    await seedReminders(w, 200, 1000);
    const started = Date.now();
    w.clock.t = Date.now() + 1000;
    await eventually(async () => remindersPerGroup(w, 200).every((c) => c === 1), 60000, 'every reminder');
    const seconds = (Date.now() - started) / 1000;
    await pause(500);
    expect(remindersPerGroup(w, 200).every((c) => c === 1)).toBe(true);
    expect(w.fake.stats().throttled).toBe(0);
    console.info(`dingtalk burst: 200 reminders in ${seconds.toFixed(1)} s, ${w.fake.stats().byPath['/v1.0/robot/groupMessages/send']} sends`);
  }, 90000);

  it('should deliver every reminder exactly once with 30% of calls throttled', async () => {
    w = await dingWorld({ template: true, env: { REMINDER_CONCURRENCY: '50' } });
    await seedReminders(w, 200, 500);
    w.fake.injectFaults({ rate: 0.3, kinds: ['throttle'], seed: 7 });
    const started = Date.now();
    w.clock.t = Date.now() + 500;
    await eventually(async () => remindersPerGroup(w, 200).every((c) => c >= 1), 150000, 'every reminder despite throttling');
    const seconds = (Date.now() - started) / 1000;
    await pause(1000);
    expect(remindersPerGroup(w, 200)).toEqual(Array.from({ length: 200 }, () => 1));
    expect(w.fake.stats().faultsInjected).toBeGreaterThan(30);
    expect(w.fake.stats().throttled).toBe(0);
    expect(await w.started.bot.queues.reminders.getFailedCount()).toBe(0);
    console.info(`dingtalk throttled: 200 reminders in ${seconds.toFixed(1)} s, ${w.fake.stats().faultsInjected} throttles injected`);
  }, 180000);
});
