import type { Member } from '../../src/domain/types';
import { pointsToPlan } from '../../src/domain/reminder-plan';
import type { CreateDutyInput } from '../../src/app/duty-service';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const DAY = 86_400_000;
const chat = (i: number) => ({ platform: 'sandbox' as const, chatId: `bulk-${i}` });
const membersOf = (i: number): Member[] => Array.from({ length: 3 + (i % 2) }, (_, k) => ({ id: `c${i}m${k}`, name: `成员${i}-${k}` }));
const organizer: Member = { id: 'w1', name: '周书记' };

/** DutyService.createMany: the bulk path a campaign takes (and bench:schedule measures). */
describe('creating many duties at once', () => {
  let started: StartedBot;
  const clock = new TestClock(NOW);

  beforeEach(async () => {
    clock.t = NOW;
    started = await startBot({ clock: () => clock.now(), workers: false });
    for (let i = 0; i < 4; i++) await started.bot.services.chats.saveRoster(chat(i), membersOf(i), NOW, `支部${i}`);
  });
  afterEach(async () => {
    await started.stop();
  });

  const meeting = (i: number, at = NOW + 3 * DAY + i * 3_600_000): CreateDutyInput => ({
    chat: chat(i % 4),
    organizer,
    kind: 'meeting',
    label: '会议',
    title: `支部委员会${i}`,
    at,
  });

  it('should number each chat on from its counter and plan, announce and record every duty', async () => {
    const { dutyService, duties } = started.bot.services;
    // One duty made the ordinary way first: the bulk numbers in chat 0 continue after it.
    await dutyService.create(meeting(0), NOW);
    const made = await dutyService.createMany(Array.from({ length: 10 }, (_, i) => meeting(i)), NOW);
    expect(made.map((d) => `${d.chat.chatId}#${d.number}`)).toEqual([
      'bulk-0#2', 'bulk-1#1', 'bulk-2#1', 'bulk-3#1', 'bulk-0#3', 'bulk-1#2', 'bulk-2#2', 'bulk-3#2', 'bulk-0#4', 'bulk-1#3',
    ]);
    for (const d of made) {
      expect(await duties.get(d.id)).toEqual(d);
      expect((await duties.getByNumber(d.chat, d.number))?.id).toBe(d.id);
      // The chat's roster, and the organizer, who typed the command in that chat (not a campaign).
      expect(d.audience).toEqual([...membersOf(Number(d.chat.chatId.slice(5))).map((m) => m.id), 'w1']);
      expect((await duties.history(d.id)).map((h) => h.type)).toEqual(['created']);
    }
    // The same jobs, with the same ids, as planning each one alone would give.
    const delayed = await started.bot.queues.reminders.getDelayed();
    const context = await started.bot.services.planContexts.for(chat(0));
    for (const d of made) {
      const expected = pointsToPlan(d, NOW, context).map((p) => p.jobId);
      expect(expected.length).toBeGreaterThan(0);
      for (const id of expected) expect(delayed.some((j) => j.id === id)).toBe(true);
    }
    const announced = (await started.bot.queues.cards.getWaiting()).map((j) => j.id);
    for (const d of made) expect(announced).toContain(`announce-${d.id}`);
    // Planning the same duties again adds nothing.
    const before = await started.bot.queues.reminders.getDelayedCount();
    await started.bot.services.planner.planMany(made, NOW);
    expect(await started.bot.queues.reminders.getDelayedCount()).toBe(before);
  });

  it('should create none when one input is bad, and say which', async () => {
    const { dutyService, duties } = started.bot.services;
    const inputs = [meeting(1), { ...meeting(2), title: '   ' }, meeting(3)];
    await expect(dutyService.createMany(inputs, NOW)).rejects.toThrow('请写上事项的标题');
    await expect(dutyService.createMany([meeting(1), meeting(2, NOW - 1)], NOW)).rejects.toThrow('这个时间已经过去了');
    for (let i = 0; i < 4; i++) expect(await duties.listOpen(chat(i))).toEqual([]);
    expect(await started.bot.queues.reminders.getDelayedCount()).toBe(0);
    expect(await started.bot.queues.cards.getWaitingCount()).toBe(0);
  });

  it('should give each duty a number once when bulk and single creations race in the same chats', async () => {
    const { dutyService } = started.bot.services;
    const [bulk, ...singles] = await Promise.all([
      dutyService.createMany(Array.from({ length: 8 }, (_, i) => meeting(i)), NOW),
      ...Array.from({ length: 8 }, (_, i) => dutyService.create(meeting(i), NOW)),
    ]);
    const all = [...(bulk ?? []), ...singles.filter((d) => !Array.isArray(d))].flat();
    for (let i = 0; i < 4; i++) {
      const numbers = all.filter((d) => d.chat.chatId === chat(i).chatId).map((d) => d.number).sort((a, b) => a - b);
      expect(numbers).toEqual([1, 2, 3, 4]);
    }
  });
});
