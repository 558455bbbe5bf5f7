import type { CreateDutyInput } from '../../src/app/duty-service';
import type { Member } from '../../src/domain/types';
import { DamagedRecord } from '../../src/errors';
import { DutyRepo } from '../../src/store/duty-repo';
import type { DamageReport } from '../../src/store/records';
import { TxPool } from '../../src/store/redis';
import { keysOf, recordKeys, recordPattern, startBot, TestClock, type StartedBot } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const DAY = 86_400_000;
const chat = (i: number) => ({ platform: 'sandbox' as const, chatId: `aud-${i}` });
const roster = (i: number, n = 30): Member[] => Array.from({ length: n }, (_, k) => ({ id: `ou_${i}_${String(k).padStart(20, '0')}`, name: `党员${i}-${k}` }));
const organizer: Member = { id: 'w1', name: '周书记' };

/**
 * A duty's audience is kept once per chat and roster, by reference (src/store/duty-codec.ts): through the bot's own
 * services, on one Redis and (jest.cluster.config.js) on the cluster, where the audience record shares the chat's slot.
 */
describe('duty audiences kept by reference', () => {
  let started: StartedBot;
  const clock = new TestClock(NOW);

  beforeEach(async () => {
    clock.t = NOW;
    started = await startBot({ clock: () => clock.now(), workers: false });
    for (let i = 0; i < 3; i++) await started.bot.services.chats.saveRoster(chat(i), roster(i), NOW, `支部${i}`);
  });
  afterEach(async () => {
    for (const tx of pools.splice(0)) await tx.close();
    await started.stop();
  });

  const meeting = (i: number, k: number): CreateDutyInput => ({ chat: chat(i), organizer, kind: 'meeting', label: '会议', title: `支部委员会${k}`, at: NOW + 3 * DAY + k * 3_600_000 });
  const audienceKeys = (): Promise<string[]> => keysOf(started.bot.redis, recordPattern(started.config, 'chat:*:audience:*'));
  const stored = async (id: string): Promise<Record<string, unknown>> => JSON.parse((await started.bot.redis.get(recordKeys(started.config).duty(id))) ?? 'null') as Record<string, unknown>;
  const pools: TxPool[] = [];
  /** Another process's repository: nothing of the audiences in its memory. */
  const freshRepo = (report: DamageReport = () => undefined): DutyRepo => {
    const tx = new TxPool(started.bot.redis);
    pools.push(tx);
    return new DutyRepo(started.bot.redis, tx, recordKeys(started.config), report);
  };

  it('should store one audience record per chat and roster, name it from each duty, and read every duty back whole', async () => {
    const { dutyService, duties } = started.bot.services;
    const made = await dutyService.createMany(Array.from({ length: 9 }, (_, k) => meeting(k % 3, k)), NOW);
    await dutyService.create(meeting(0, 20), NOW);
    // Three chats, one roster each (the organizer typed in each chat, so is in each audience): three records.
    expect(await audienceKeys()).toHaveLength(3);
    for (const d of made) {
      const raw = await stored(d.id);
      expect(raw.audience).toBeUndefined();
      expect(raw.audienceRef).toMatch(/^[0-9a-f]{16}$/);
      expect(d.audience).toEqual([...roster(Number(d.chat.chatId.slice(4))).map((m) => m.id), 'w1']);
      expect(await duties.get(d.id)).toEqual(d);
      expect(await freshRepo().get(d.id)).toEqual(d);
    }
    // A list across chats, read by a process that has none of them in memory.
    expect((await freshRepo().listOpen(chat(1))).map((d) => d.audience)).toEqual(made.filter((d) => d.chat.chatId === 'aud-1').map((d) => d.audience));
    // The record is a third of what it was with the 31 ids inline.
    const one = made[0] as (typeof made)[number];
    expect(JSON.stringify(await stored(one.id)).length).toBeLessThan(JSON.stringify(one).length / 2);
  });

  it('should keep a short or open audience inline', async () => {
    await started.bot.services.chats.saveRoster(chat(0), roster(0, 3), NOW);
    const short = await started.bot.services.dutyService.create(meeting(0, 1), NOW);
    expect((await stored(short.id)).audience).toEqual(short.audience);
    expect(await audienceKeys()).toEqual([]);
  });

  it('should write a new record when the audience changes, and read the duty with it', async () => {
    const { dutyService, duties } = started.bot.services;
    const d = await dutyService.create(meeting(0, 1), NOW);
    const fewer = d.audience.slice(1);
    // An update writes whatever duty its change returns: one with another audience names another record.
    const res = await duties.update(d.id, (duty) => ({ duty: { ...duty, at: duty.at + DAY, audience: fewer, updatedAt: NOW }, entry: { type: 'rescheduled', at: NOW, by: 'w1', from: duty.at, to: duty.at + DAY } }));
    expect(res.ok).toBe(true);
    expect(await audienceKeys()).toHaveLength(2);
    expect((await freshRepo().get(d.id))?.audience).toEqual(fewer);
    // One that keeps the audience names the same record.
    await duties.update(d.id, (duty) => ({ duty: { ...duty, at: duty.at + DAY, updatedAt: NOW }, entry: { type: 'rescheduled', at: NOW, by: 'w1', from: duty.at, to: duty.at + DAY } }));
    expect(await audienceKeys()).toHaveLength(2);
    expect((await freshRepo().get(d.id))?.audience).toEqual(fewer);
  });

  it('should report a duty whose audience record is gone as damaged, and leave it out of lists', async () => {
    const d = await started.bot.services.dutyService.create(meeting(0, 1), NOW);
    for (const key of await audienceKeys()) await started.bot.redis.del(key);
    const reported: DamagedRecord[] = [];
    const repo = freshRepo((damage) => reported.push(damage));
    await expect(repo.get(d.id)).rejects.toBeInstanceOf(DamagedRecord);
    expect(await repo.listOpen(chat(0))).toEqual([]);
    expect(reported.map((r) => r.key)).toEqual([recordKeys(started.config).duty(d.id)]);
  });

  it('should write the audience record again when it went missing under a running process', async () => {
    const { dutyService, duties } = started.bot.services;
    await dutyService.create(meeting(0, 1), NOW);
    // The process now takes the record to be there (it wrote it); the Redis loses it (emptied, restored from elsewhere).
    for (const key of await audienceKeys()) await started.bot.redis.del(key);
    const again = await dutyService.createMany([meeting(0, 2), meeting(1, 3)], NOW);
    expect(await audienceKeys()).toHaveLength(2);
    for (const d of again) expect(await freshRepo().get(d.id)).toEqual(d);
    // The first duty names the same record (same roster), so it reads again too.
    expect((await duties.listOpen(chat(0))).map((d) => d.number)).toEqual([1, 2]);
  });

  it('should still read a duty stored with its audience inline (made before references)', async () => {
    const d = await started.bot.services.dutyService.create(meeting(2, 1), NOW);
    await started.bot.redis.set(recordKeys(started.config).duty(d.id), JSON.stringify(d));
    expect(await freshRepo().get(d.id)).toEqual(d);
  });
});
