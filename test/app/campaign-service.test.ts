import { CampaignService } from '../../src/app/campaign-service';
import type { ChatRef, Member } from '../../src/domain/types';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const DAY = 86_400_000;
const ORIGIN: ChatRef = { platform: 'sandbox', chatId: 'committee-t' };
const chat = (i: number): ChatRef => ({ platform: 'sandbox', chatId: `camp-${i}` });
const membersOf = (i: number): Member[] => Array.from({ length: 3 }, (_, k) => ({ id: `c${i}m${k}`, name: `成员${i}-${k}` }));
const organizer: Member = { id: 'w1', name: '周书记' };
const CAMPAIGN_ID = 'campaignfixed1';
const input = { origin: ORIGIN, organizer, kind: 'report' as const, label: '述职', title: '年度述职报告', at: NOW + 20 * DAY, scope: '支部0,支部1,支部2' };

/** CampaignService.start: the record pending, every chat's duty (at most one each), the record complete. */
describe('starting a campaign', () => {
  let started: StartedBot;
  let service: CampaignService;
  const clock = new TestClock(NOW);

  beforeEach(async () => {
    clock.t = NOW;
    started = await startBot({ clock: () => clock.now(), workers: false });
    const { chats } = started.bot.services;
    for (let i = 0; i < 3; i++) {
      await chats.saveRoster(chat(i), membersOf(i), NOW, `支部${i}`);
      await chats.touch(chat(i), `支部${i}`, undefined, 'group');
    }
    service = new CampaignService({ ...started.bot.services, newId: () => CAMPAIGN_ID });
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should write a duty in every chat of the scope and the campaign naming them, numbered on from each chat', async () => {
    const { dutyService, duties, campaigns } = started.bot.services;
    // A duty of chat 1 made before: the campaign's duty there is #2, and the record says so.
    await dutyService.create({ chat: chat(1), organizer, kind: 'meeting', label: '会议', title: '支部委员会', at: NOW + DAY }, NOW);
    const made = await service.start(input, NOW);
    expect(made.parts.map((p) => `${p.chatName}#${p.number}`)).toEqual(['支部0#1', '支部1#2', '支部2#1']);
    const record = await campaigns.get(CAMPAIGN_ID);
    expect(record).toMatchObject({ id: CAMPAIGN_ID, origin: ORIGIN, kind: 'report', title: '年度述职报告', at: input.at, createdBy: organizer, createdAt: NOW });
    expect(record?.parts).toEqual(made.parts);
    for (const part of made.parts) {
      expect(await duties.get(part.dutyId)).toMatchObject({ chat: part.chat, number: part.number, campaignId: CAMPAIGN_ID, state: 'scheduled' });
    }
    expect(await started.bot.queues.cards.getJob(`camp-post-${CAMPAIGN_ID}`)).toBeDefined();
  });

  it('should write no duty when the campaign id is taken', async () => {
    const { duties, campaigns } = started.bot.services;
    // The record's key taken already (by another campaign's record): nothing is written at all.
    const other = { id: CAMPAIGN_ID, origin: ORIGIN, kind: 'report' as const, label: '述职', title: '别的', at: NOW + DAY, createdBy: organizer, createdAt: NOW - DAY };
    expect(await campaigns.begin({ ...other, targets: [], organizer })).toBe(true);
    await campaigns.complete({ ...other, parts: [] }, []);
    await expect(service.start(input, NOW)).rejects.toThrow('is taken');
    for (let i = 0; i < 3; i++) {
      expect(await duties.listOpen(chat(i))).toEqual([]);
      expect(await duties.getByNumber(chat(i), 1)).toBeUndefined();
    }
    expect((await campaigns.get(CAMPAIGN_ID))?.title).toBe('别的');
    expect(await started.bot.queues.cards.getJob(`camp-post-${CAMPAIGN_ID}`)).toBeUndefined();
    // Nothing was half-written: the next campaign numbers each chat's duty #1.
    const again = new CampaignService({ ...started.bot.services, newId: () => 'campaignfixed2' });
    expect((await again.start(input, NOW)).parts.map((p) => p.number)).toEqual([1, 1, 1]);
  });

  it('should finish a campaign a stopped process left pending, with no second duty in a chat that has its own', async () => {
    const { duties, campaigns, dutyService } = started.bot.services;
    // A process stopped after the record (pending) and chat 1's duty were written, before the other chats' duties.
    const targets = [0, 1, 2].map((i) => ({ chat: chat(i), chatName: `支部${i}` }));
    const base = { id: CAMPAIGN_ID, origin: ORIGIN, kind: 'report' as const, label: '述职', title: '年度述职报告', at: input.at, createdBy: organizer, createdAt: NOW };
    expect(await campaigns.begin({ ...base, targets, organizer })).toBe(true);
    const [early] = await dutyService.createMany([{ chat: chat(1), organizer, kind: 'report', label: '述职', title: '年度述职报告', at: input.at, campaignId: CAMPAIGN_ID }], NOW, CAMPAIGN_ID);
    expect(await started.bot.queues.cards.getJob(`camp-post-${CAMPAIGN_ID}`)).toBeUndefined();

    const errors: string[] = [];
    expect(await service.finishPending(NOW, (id) => errors.push(id))).toBe(1);
    expect(errors).toEqual([]);
    const record = await campaigns.get(CAMPAIGN_ID);
    expect(record?.state).toBeUndefined();
    expect(record?.parts.map((p) => `${p.chatName}#${p.number}`)).toEqual(['支部0#1', '支部1#1', '支部2#1']);
    expect(record?.parts[1]?.dutyId).toBe(early?.id);
    expect((await duties.listOpen(chat(1))).map((d) => d.id)).toEqual([early?.id]);
    expect(await started.bot.queues.cards.getJob(`camp-post-${CAMPAIGN_ID}`)).toBeDefined();
    // Finished once: nothing pending is left.
    expect(await service.finishPending(NOW, (id) => errors.push(id))).toBe(0);
  });

  it('should refuse a deadline already past before writing anything', async () => {
    await expect(service.start({ ...input, at: NOW - DAY }, NOW)).rejects.toThrow('这个时间已经过去了');
    expect(await started.bot.services.campaigns.get(CAMPAIGN_ID)).toBeUndefined();
    expect(await started.bot.services.duties.listOpen(chat(0))).toEqual([]);
  });
});
