import type { Duty } from '../../src/domain/types';
import { textOf } from '../feishu/support';
import {
  addFakeChat,
  announceCards,
  BotProcess,
  duplicates,
  feishuChat,
  feishuEnv,
  freePort,
  queueOf,
  reminderCards,
  seedReminders,
  SHARED_REDIS_URL,
  sharedRedisWorld,
  nineOClocks,
  sleep,
  waitFor,
} from './support';

/**
 * Issue #7.2: two bot processes side by side on one Redis and one prefix. A burst of reminders is shared by both
 * workers and each is sent once; a daily series (学习 … 每天上午9点, real clock) created through one process gets
 * each occurrence that comes into view (first reminder 1 day before + 1 day of announcement lead: 48 h) created
 * once, whatever the two processes and a restart of one of them do, with one announcement card per duty.
 */
const SERIES_CHAT = 'oc_twoproc000000000000000000001';
const CHATS = 100;
const PER_CHAT = 3;
const TOTAL = CHATS * PER_CHAT;
const DAY = 86_400_000;
const LEAD = 2 * DAY;
const chatIdOf = (i: number): string => `oc_twin${String(i).padStart(25, '0')}`;

describe('fault: two bot processes side by side on one Redis and prefix', () => {
  const world = sharedRedisWorld('twin');
  const { prefix, fake } = world;

  it('should send no reminder twice and create each occurrence of a daily series once, across a restart', async () => {
    const env = feishuEnv(fake, SHARED_REDIS_URL, prefix, { REMINDER_CONCURRENCY: '20' });
    const a = new BotProcess('twin-a', await freePort(), env);
    const b = new BotProcess('twin-b', await freePort(), env);
    await Promise.all([a.ready(), b.ready()]);

    // The series, through a signed Feishu message to process A.
    addFakeChat(fake, SERIES_CHAT, '理论学习小组');
    const createdAt = Date.now();
    const said = await a.say('学习 理论学习 每天上午9点', { chatId: SERIES_CHAT, fake });
    expect(said.status).toBe(200);
    const reply = await waitFor(() => fake.messagesIn(SERIES_CHAT).map(textOf).find((t) => t.includes('已建立 系列1')), 20000, 'the series reply');
    expect(reply).toContain('每天 09:00');

    // The burst, shared by both workers.
    const duties = await seedReminders(world.store, fake, { chats: CHATS, perChat: PER_CHAT, dueAt: Date.now() + 1500, chatId: chatIdOf });
    await waitFor(() => new Set(reminderCards(fake).map((c) => c.dutyId)).size === TOTAL || undefined, 120000, `${TOTAL} reminders`, 100);

    // Process B restarts (SIGTERM, then a new process): its start re-plans every open duty and upserts the series' scheduler.
    const stopped = await b.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    const b2 = new BotProcess('twin-b2', await freePort(), env);
    await b2.ready();
    await sleep(3000);

    // Reminders: once each, and both processes took part.
    const cards = reminderCards(fake);
    expect(new Set(cards.map((c) => c.dutyId))).toEqual(new Set(duties.map((d) => d.id)));
    expect(cards).toHaveLength(TOTAL);
    expect(duplicates(cards.map((c) => c.uuid))).toEqual(new Map());
    const sentBy = (p: BotProcess): number => p.lines().filter((l) => l.msg === 'reminder sent').length;
    console.log(`[faults] two-processes: reminders sent by A ${sentBy(a)}, by B ${sentBy(b)}, by B after its restart ${sentBy(b2)}`);
    expect(sentBy(a)).toBeGreaterThan(0);
    expect(sentBy(b)).toBeGreaterThan(0);
    expect(sentBy(a) + sentBy(b) + sentBy(b2)).toBe(TOTAL);

    // The series: each occurrence in view once, in the duty records and in the series' occurrence record.
    const [series] = await world.store.series.list(feishuChat(SERIES_CHAT));
    expect(series).toBeDefined();
    const seriesId = series?.id ?? '';
    const all: Duty[] = await world.store.duties.listByPeriod(feishuChat(SERIES_CHAT), 0, Number.MAX_SAFE_INTEGER);
    const times = all.map((d) => d.at).sort((x, y) => x - y);
    expect(duplicates(times.map(String))).toEqual(new Map());
    const now = Date.now();
    const inViewAtCreation = nineOClocks(createdAt).filter((t) => t > createdAt && t - LEAD <= createdAt);
    const inViewNow = nineOClocks(createdAt).filter((t) => t > createdAt && t - LEAD <= now);
    expect(times.length).toBeGreaterThanOrEqual(inViewAtCreation.length);
    expect(times).toEqual(inViewNow.slice(0, times.length));
    expect(all.every((d) => d.seriesId === seriesId)).toBe(true);
    expect(all.map((d) => d.number).sort((x, y) => x - y)).toEqual(all.map((_, i) => i + 1));
    const occ = await world.store.series.occurrences(seriesId);
    expect([...occ.keys()].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(occ.values())).toEqual(new Set(all.map((d) => d.id)));

    // One announcement card per occurrence at the fake, and one job scheduler for the series.
    const announced = announceCards(fake).filter((c) => c.message.chatId === SERIES_CHAT);
    expect(announced.map((c) => c.dutyId).sort()).toEqual(all.map((d) => d.id).sort());
    const { queue: seriesQueue, close } = queueOf(SHARED_REDIS_URL, prefix, 'series');
    try {
      expect(await seriesQueue.getJobSchedulersCount()).toBe(1);
    } finally {
      await close();
    }
    await Promise.all([a.kill('SIGTERM'), b2.kill('SIGTERM')]);
  }, 200000);
});
