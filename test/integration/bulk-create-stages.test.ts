import { CampaignService } from '../../src/app/campaign-service';
import { QUIET_SETTING } from '../../src/app/plan-context';
import { DEFAULT_QUIET_HOURS } from '../../src/domain/quiet-hours';
import { pointsToPlan } from '../../src/domain/reminder-plan';
import type { ChatRef, Member } from '../../src/domain/types';
import type { CreateDutyInput } from '../../src/app/duty-service';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const DAY = 86_400_000;
const CHATS = 150;
const chat = (i: number): ChatRef => ({ platform: 'sandbox', chatId: `stage-${i}` });
const membersOf = (i: number): Member[] => Array.from({ length: 2 + (i % 3) }, (_, k) => ({ id: `s${i}m${k}`, name: `成员${i}-${k}` }));
const organizer: Member = { id: 'w1', name: '周书记' };

/**
 * A bulk creation of more than 100 chats goes in stages, two at a time (src/app/in-stages.ts): the results keep the
 * order asked, a chat's duties stay together and are numbered in that order, and a stage that fails leaves a
 * campaign its retry can finish with no second duty anywhere.
 */
describe('a bulk creation in stages', () => {
  let started: StartedBot;
  const clock = new TestClock(NOW);

  beforeEach(async () => {
    clock.t = NOW;
    started = await startBot({ clock: () => clock.now(), workers: false });
    const { chats } = started.bot.services;
    for (let i = 0; i < CHATS; i++) {
      await chats.saveRoster(chat(i), membersOf(i), NOW, `支部${i}`);
      await chats.touch(chat(i), `支部${i}`, undefined, 'group');
    }
  });
  afterEach(async () => {
    await started.stop();
  });

  const meeting = (i: number, k: number): CreateDutyInput => ({ chat: chat(i), organizer, kind: 'meeting', label: '会议', title: `会议${i}-${k}`, at: NOW + 3 * DAY + k * 3_600_000 });

  it('should return every duty in the order asked, each chat numbered in that order', async () => {
    const { dutyService, duties } = started.bot.services;
    let stages = 0;
    const createMany = duties.createMany.bind(duties);
    duties.createMany = (...args) => (stages++, createMany(...args));
    // Every chat once, then the first 40 again, in reverse: 190 duties, 150 chats, so two stages of 75 chats.
    const inputs = [...Array.from({ length: CHATS }, (_, i) => meeting(i, 0)), ...Array.from({ length: 40 }, (_, j) => meeting(39 - j, 1))];
    const made = await dutyService.createMany(inputs, NOW);
    expect(stages).toBe(2);
    expect(made.map((d) => d.title)).toEqual(inputs.map((i) => i.title));
    expect(made.map((d) => d.chat)).toEqual(inputs.map((i) => i.chat));
    made.forEach((d, n) => expect(d.number).toBe(n < CHATS ? 1 : 2));
    for (const d of made) {
      expect(await duties.get(d.id)).toEqual(d);
      // The chat's roster and the organizer, who typed it there; a roster's array is shared, never changed.
      const i = Number(d.chat.chatId.slice('stage-'.length));
      expect(d.audience).toEqual([...membersOf(i).map((m) => m.id), 'w1']);
    }
    expect(new Set(made.map((d) => d.id)).size).toBe(made.length);
    const announced = new Set((await started.bot.queues.cards.getWaiting()).map((j) => j.id));
    for (const d of made) expect(announced.has(`announce-${d.id}`)).toBe(true);
  });

  it('should leave a campaign whose second stage failed for its retry, which makes no second duty in any chat', async () => {
    const { duties, campaigns } = started.bot.services;
    const service = new CampaignService({ ...started.bot.services, newId: () => 'campaignstages1' });
    let calls = 0;
    const createMany = duties.createMany.bind(duties);
    duties.createMany = async (...args) => {
      if (++calls === 2) throw new Error('Redis went away mid-campaign');
      return createMany(...args);
    };
    const scope = Array.from({ length: CHATS }, (_, i) => `支部${i}`).join('，');
    const input = { origin: { platform: 'sandbox' as const, chatId: 'committee-s' }, organizer, kind: 'report' as const, label: '述职', title: '年度述职报告', at: NOW + 20 * DAY, scope };
    await expect(service.start(input, NOW)).rejects.toThrow('Redis went away mid-campaign');
    const written = (await Promise.all(Array.from({ length: CHATS }, (_, i) => duties.listOpen(chat(i))))).map((l) => l.length);
    expect(written.filter((n) => n === 1).length).toBe(CHATS / 2);
    expect(written.filter((n) => n === 0).length).toBe(CHATS / 2);

    // The retry a restart makes (start-up reconciliation): every chat's duty, once.
    const errors: string[] = [];
    expect(await service.finishPending(NOW, (id) => errors.push(id))).toBe(1);
    expect(errors).toEqual([]);
    const record = await campaigns.get('campaignstages1');
    expect(record?.parts?.map((p) => p.chat)).toEqual(Array.from({ length: CHATS }, (_, i) => chat(i)));
    for (let i = 0; i < CHATS; i++) {
      const open = await duties.listOpen(chat(i));
      expect(open.map((d) => [d.number, d.campaignId])).toEqual([[1, 'campaignstages1']]);
      expect(record?.parts?.[i]?.dutyId).toBe(open[0]?.id);
    }
    const announced = (await started.bot.queues.cards.getWaiting()).map((j) => j.id).filter((id) => id?.startsWith('announce-'));
    expect(announced.length).toBe(CHATS);
  });

  it("should plan each chat's reminders by its own 免打扰 setting, all read in one command", async () => {
    const { dutyService, chats, planContexts } = started.bot.services;
    // Quiet hours off in every third chat: a reminder an hour before 07:30 (06:30) stays there; elsewhere it moves.
    for (let i = 0; i < CHATS; i += 3) await chats.setSetting(chat(i), QUIET_SETTING, JSON.stringify({ ...DEFAULT_QUIET_HOURS, enabled: false }), { at: NOW, by: 'w1', what: '免打扰 关' });
    const at = Date.parse('2026-11-30T07:30:00+08:00');
    const made = await dutyService.createMany(Array.from({ length: CHATS }, (_, i) => ({ ...meeting(i, 0), at })), NOW);
    const delayed = new Set((await started.bot.queues.reminders.getDelayed()).map((j) => j.id));
    const plans = new Map<boolean, string>();
    for (const d of made) {
      const expected = pointsToPlan(d, NOW, await planContexts.for(d.chat)).map((p) => p.dueAt);
      for (const p of pointsToPlan(d, NOW, await planContexts.for(d.chat))) expect(delayed.has(p.jobId)).toBe(true);
      plans.set(Number(d.chat.chatId.slice('stage-'.length)) % 3 === 0, JSON.stringify(expected));
    }
    expect(plans.get(true)).not.toEqual(plans.get(false));
    expect(JSON.parse(plans.get(true) ?? '[]')).toContain(at - 3_600_000);
  });

  it('should write nothing when one chat of many has a damaged setting, and name its key', async () => {
    const { dutyService, chats, duties } = started.bot.services;
    await chats.setSetting(chat(120), QUIET_SETTING, '{not json', { at: NOW, by: 'w1', what: 'damaged' });
    await expect(dutyService.createMany(Array.from({ length: CHATS }, (_, i) => meeting(i, 0)), NOW)).rejects.toThrow(/stage-120.*settings|settings.*stage-120/);
    for (let i = 0; i < CHATS; i++) expect(await duties.listOpen(chat(i))).toEqual([]);
    expect(await started.bot.queues.reminders.getDelayedCount()).toBe(0);
    expect(await started.bot.queues.cards.getWaitingCount()).toBe(0);
  });
});
