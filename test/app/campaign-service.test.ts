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

/** CampaignService.start: every chat's duty and the campaign's record in one transaction. */
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

  it('should write no duty when the campaign record cannot be written with them', async () => {
    const { duties, campaigns } = started.bot.services;
    // The record's key taken already (by another campaign's record): the one transaction writes nothing at all.
    const { key, of } = campaigns.companion({ id: CAMPAIGN_ID, origin: ORIGIN, kind: 'report', label: '述职', title: '别的', at: NOW + DAY, createdBy: organizer, createdAt: NOW - DAY }, () => []);
    await started.bot.redis.set(key, of([]));
    await expect(service.start(input, NOW)).rejects.toThrow('exists already');
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

  it('should refuse a deadline already past before writing anything', async () => {
    await expect(service.start({ ...input, at: NOW - DAY }, NOW)).rejects.toThrow('这个时间已经过去了');
    expect(await started.bot.services.campaigns.get(CAMPAIGN_ID)).toBeUndefined();
    expect(await started.bot.services.duties.listOpen(chat(0))).toEqual([]);
  });
});
