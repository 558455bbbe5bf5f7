import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { PlanContexts } from '../../src/app/plan-context';
import type { ChatRef, Member } from '../../src/domain/types';
import { DamagedRecord, ErrorCode, toAppError } from '../../src/errors';
import { CampaignRepo, type Campaign } from '../../src/store/campaign-repo';
import { ChatRepo } from '../../src/store/chat-repo';
import { DraftRepo } from '../../src/store/draft-repo';
import { DutyRepo, type NewDuty } from '../../src/store/duty-repo';
import { logDamaged, warnDamaged } from '../../src/store/records';
import { TxPool } from '../../src/store/redis';
import { SandboxRepo } from '../../src/store/sandbox-repo';
import { SentLog } from '../../src/store/sent-log';
import { SeriesRepo, type NewSeries } from '../../src/store/series-repo';
import { defaultCalendar } from '../../src/store/holiday-files';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

/*
 * Records written by an older version or damaged by hand, put straight into Redis: each is reported with its key,
 * and none is used in part. A single read throws DamagedRecord carrying the key; a list leaves the damaged record
 * out, reports it, and still returns the good ones.
 */

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const CHAT: ChatRef = { platform: 'sandbox', chatId: 'branch-1' };
const members: Member[] = [
  { id: 'u1', name: '成员1' },
  { id: 'u2', name: '成员2' },
  { id: 'u3', name: '成员3' },
];
const NOT_JSON = '{"id": "broken';

const newDuty = (title: string, at = NOW + 86_400_000): NewDuty => ({
  chat: CHAT,
  kind: 'meeting',
  label: '会议',
  title,
  at,
  organizer: { id: 'u1', name: '成员1' },
  audience: members.map((m) => m.id),
  reminderOffsets: [1440, 60],
});

/** What a DamagedRecord reports: its key and field. */
/** Reports of one hash's fields, by field name (a hash's own order is not fixed). */
const byField = (ds: readonly DamagedRecord[]): { key: string; field?: string }[] => ds.map(where).sort((a, b) => (a.field ?? '').localeCompare(b.field ?? ''));
const where = (d: DamagedRecord): { key: string; field?: string } => (d.field === undefined ? { key: d.key } : { key: d.key, field: d.field });

/** Runs `read`, expecting a DamagedRecord; returns where it points. */
async function damagedAt(read: () => Promise<unknown>): Promise<{ key: string; field?: string }> {
  const err: unknown = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DamagedRecord);
  return where(err as DamagedRecord);
}

describe('Damaged records in Redis', () => {
  let redis: Redis;
  let tx: TxPool;
  let prefix: string;
  let reported: DamagedRecord[];
  const report = (d: DamagedRecord): void => {
    reported.push(d);
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    tx = new TxPool(redis);
    reported = [];
  });

  afterEach(async () => {
    await tx.close();
    redis.disconnect();
    await removePrefix(prefix);
  });

  describe('duties', () => {
    let duties: DutyRepo;
    beforeEach(() => {
      duties = new DutyRepo(redis, tx, prefix, report);
    });

    it('should list the good open duties and report the damaged ones by key when one is not JSON and one lacks fields', async () => {
      const [a, b, c] = await duties.createMany([newDuty('甲'), newDuty('乙', NOW + 2 * 86_400_000), newDuty('丙', NOW + 3 * 86_400_000)], NOW);
      if (!a || !b || !c) throw new Error('three duties expected');
      await redis.set(`${prefix}:duty:${b.id}`, NOT_JSON);
      const { audience: _dropped, ...noAudience } = c;
      await redis.set(`${prefix}:duty:${c.id}`, JSON.stringify(noAudience));

      expect((await duties.listOpen(CHAT)).map((d) => d.title)).toEqual(['甲']);
      expect(reported.map(where)).toEqual([{ key: `${prefix}:duty:${b.id}` }, { key: `${prefix}:duty:${c.id}` }]);
      expect(reported[1]?.message).toContain('audience');
      expect((await duties.listAllOpen()).map((d) => d.id)).toEqual([a.id]);
      expect((await duties.listByPeriod(CHAT, NOW, NOW + 4 * 86_400_000)).map((d) => d.id)).toEqual([a.id]);
    });

    it('should throw DamagedRecord with the key when one duty is read, by id or by number', async () => {
      const duty = await duties.create(newDuty('甲'), NOW);
      const key = `${prefix}:duty:${duty.id}`;
      await redis.set(key, JSON.stringify({ ...duty, state: 'paused' }));
      expect(await damagedAt(() => duties.get(duty.id))).toEqual({ key });
      expect(await damagedAt(() => duties.getByNumber(CHAT, duty.number))).toEqual({ key });
    });

    it('should write nothing when an update or an answer meets a damaged duty', async () => {
      const duty = await duties.create(newDuty('甲'), NOW);
      const key = `${prefix}:duty:${duty.id}`;
      // Only what creation wrote: the organizer's implied answer when they are in the audience (issue 17).
      const answersBefore = await redis.hgetall(`${prefix}:duty:${duty.id}:answers`);
      const damaged = JSON.stringify({ ...duty, at: 'tomorrow' });
      await redis.set(key, damaged);
      const change = jest.fn(() => ({ duty: { ...duty, state: 'cancelled' as const }, entry: { type: 'cancelled' as const, at: NOW, by: 'u1' } }));

      expect(await damagedAt(() => duties.update(duty.id, change))).toEqual({ key });
      expect(change).not.toHaveBeenCalled();
      expect(await damagedAt(() => duties.answer(duty.id, 'u2', 'attending', NOW))).toEqual({ key });

      expect(await redis.get(key)).toBe(damaged);
      expect(await redis.hgetall(`${prefix}:duty:${duty.id}:answers`)).toEqual(answersBefore);
      expect(await redis.hexists(`${prefix}:duty:${duty.id}:answers`, 'u2')).toBe(0);
      expect(await redis.llen(`${prefix}:duty:${duty.id}:history`)).toBe(1);
      expect(await redis.zscore(`${prefix}:chat:${CHAT.platform}:${CHAT.chatId}:open`, duty.id)).not.toBeNull();
    });

    it('should leave a damaged answer out of the answers, report its key and member, and let that member answer again', async () => {
      const duty = await duties.create(newDuty('甲'), NOW);
      await duties.answer(duty.id, 'u1', 'attending', NOW);
      const answersKey = `${prefix}:duty:${duty.id}:answers`;
      await redis.hset(answersKey, 'u2', NOT_JSON);
      await redis.hset(answersKey, 'u3', JSON.stringify({ memberId: 'u3', status: 'maybe', at: NOW }));

      expect([...(await duties.answers(duty.id)).keys()]).toEqual(['u1']);
      // HGETALL's order is the hash's: insertion order while it is a listpack, any order once it is a hashtable (an
      // answer longer than hash-max-listpack-value, 64 bytes by default: https://redis.io/docs/latest/develop/data-types/hashes/).
      expect(byField(reported)).toEqual([
        { key: answersKey, field: 'u2' },
        { key: answersKey, field: 'u3' },
      ]);

      // Another member's answer still goes through; the card it returns counts only the answers that parse.
      reported = [];
      const write = await duties.answer(duty.id, 'u1', 'leave', NOW + 1000, '出差');
      expect(write?.ok).toBe(true);
      expect([...(write?.answers.keys() ?? [])]).toEqual(['u1']);
      expect(byField(reported)).toEqual([
        { key: answersKey, field: 'u2' },
        { key: answersKey, field: 'u3' },
      ]);

      // The member whose answer was damaged counts as not having answered; their answer replaces the damaged one.
      const again = await duties.answer(duty.id, 'u3', 'attending', NOW + 2000);
      expect(again).toMatchObject({ ok: true, previous: 'pending' });
      expect((await duties.answers(duty.id)).get('u3')).toMatchObject({ memberId: 'u3', status: 'attending' });
    });

    it('should leave damaged history entries and card references out, reporting each with its key and place', async () => {
      const duty = await duties.create(newDuty('甲'), NOW);
      await duties.answer(duty.id, 'u2', 'attending', NOW);
      const historyKey = `${prefix}:duty:${duty.id}:history`;
      await redis.rpush(historyKey, JSON.stringify({ type: 'archived', at: NOW, by: 'u1' }));
      await duties.addCard(duty.id, { platform: 'sandbox', chatId: CHAT.chatId, messageId: 'm1' });
      const cardsKey = `${prefix}:duty:${duty.id}:cards`;
      await redis.hset(cardsKey, 'm2', JSON.stringify({ platform: 'icq', chatId: CHAT.chatId, messageId: 'm2' }));

      expect((await duties.history(duty.id)).map((e) => e.type)).toEqual(['created', 'answer']);
      expect((await duties.cards(duty.id)).map((c) => c.messageId)).toEqual(['m1']);
      expect(reported.map(where)).toEqual([
        { key: historyKey, field: '2' },
        { key: cardsKey, field: 'm2' },
      ]);
    });
  });

  describe('series', () => {
    const newSeries = (title: string): NewSeries => ({
      chat: CHAT,
      kind: 'meeting',
      label: '会议',
      title,
      rule: { kind: 'workday', version: 1, hour: 15, minute: 0 },
      description: '每个工作日 15:00',
      organizer: { id: 'u1', name: '成员1' },
    });

    it('should list the good series, report the damaged one, and throw with its key when it is read or updated', async () => {
      const series = new SeriesRepo(redis, tx, prefix, report);
      const good = await series.create(newSeries('甲'), NOW);
      const bad = await series.create(newSeries('乙'), NOW);
      const key = `${prefix}:series:${bad.id}`;
      const damaged = JSON.stringify({ ...bad, rule: { kind: 'hourly', version: 1 } });
      await redis.set(key, damaged);

      expect((await series.list(CHAT)).map((s) => s.id)).toEqual([good.id]);
      expect((await series.active()).map((s) => s.id)).toEqual([good.id]);
      expect(reported.map(where)).toEqual([{ key }, { key }]);
      expect(await damagedAt(() => series.get(bad.id))).toEqual({ key });
      expect(await damagedAt(() => series.getByNumber(CHAT, bad.number))).toEqual({ key });
      expect(await damagedAt(() => series.update(bad.id, (s) => ({ ...s, state: 'stopped' })))).toEqual({ key });
      expect(await redis.get(key)).toBe(damaged);
    });
  });

  describe('campaigns and the sent log', () => {
    const campaign: Campaign = {
      id: 'camp00000001',
      origin: CHAT,
      kind: 'report',
      label: '述职',
      title: '年度述职',
      at: NOW + 86_400_000,
      createdBy: { id: 'u1', name: '成员1' },
      createdAt: NOW,
      parts: [{ chat: { platform: 'sandbox', chatId: 'branch-2' }, chatName: '二支部', dutyId: 'duty00000001', number: 1 }],
    };

    it('should throw with the key for a damaged campaign and leave a damaged summary card out', async () => {
      const campaigns = new CampaignRepo(redis, prefix, report);
      // Written as CampaignService writes it: the companion record of its duties (CampaignRepo.companion).
      await redis.set(`${prefix}:campaign:${campaign.id}`, JSON.stringify(campaign));
      expect(await campaigns.get(campaign.id)).toEqual(campaign);
      const key = `${prefix}:campaign:${campaign.id}`;
      await redis.set(key, JSON.stringify({ ...campaign, parts: [{ chat: CHAT }] }));
      expect(await damagedAt(() => campaigns.get(campaign.id))).toEqual({ key });

      await campaigns.addCard(campaign.id, { platform: 'sandbox', chatId: CHAT.chatId, messageId: 'm1' });
      const cardsKey = `${prefix}:campaign:${campaign.id}:cards`;
      await redis.hset(cardsKey, 'm2', NOT_JSON);
      expect((await campaigns.cards(campaign.id)).map((c) => c.messageId)).toEqual(['m1']);
      expect(reported.map(where)).toEqual([{ key: cardsKey, field: 'm2' }]);
    });

    it('should throw with the key for a damaged sent-log entry rather than read it as absent (which would post again)', async () => {
      const sent = new SentLog(redis, prefix);
      await sent.record('reminder:a:1', { platform: 'sandbox', chatId: CHAT.chatId, messageId: 'm1' });
      expect(await sent.get('reminder:a:1')).toEqual({ platform: 'sandbox', chatId: CHAT.chatId, messageId: 'm1' });
      const key = `${prefix}:sent:reminder:a:2`;
      await redis.set(key, JSON.stringify({ platform: 'sandbox', chatId: CHAT.chatId }));
      expect(await damagedAt(() => sent.get('reminder:a:2'))).toEqual({ key });
    });
  });

  describe('chats', () => {
    it('should leave a damaged roster member and audit entry out, reporting each with its key and field', async () => {
      const chats = new ChatRepo(redis, prefix, () => NOW, report);
      await chats.saveRoster(CHAT, members, NOW);
      await chats.setSetting(CHAT, 'quiet', JSON.stringify({ start: 1320, end: 420, enabled: true }), { at: NOW, by: 'u1', what: '免打扰' });
      const membersKey = `${prefix}:chat:sandbox:${CHAT.chatId}:members`;
      const auditKey = `${prefix}:chat:sandbox:${CHAT.chatId}:audit`;
      await redis.hset(membersKey, 'u2', JSON.stringify({ id: 'u2' }));
      await redis.rpush(auditKey, NOT_JSON);

      expect((await new ChatRepo(redis, prefix, () => NOW, report).roster(CHAT)).members.map((m) => m.id).sort()).toEqual(['u1', 'u3']);
      expect(await chats.audit(CHAT)).toEqual([{ at: NOW, by: 'u1', what: '免打扰' }]);
      expect(reported.map(where)).toEqual([
        { key: membersKey, field: 'u2' },
        { key: auditKey, field: '1' },
      ]);
    });

    it('should throw with the settings key when a chat’s quiet hours are damaged, for one chat and for many', async () => {
      const chats = new ChatRepo(redis, prefix, () => NOW, report);
      const contexts = new PlanContexts(chats, defaultCalendar(), 'Asia/Shanghai');
      const other: ChatRef = { platform: 'sandbox', chatId: 'branch-2' };
      await chats.setSetting(other, 'quiet', JSON.stringify({ start: 1320, end: 420, enabled: false }), { at: NOW, by: 'u1', what: '免打扰' });
      expect(await contexts.quietHours(other)).toEqual({ start: 1320, end: 420, enabled: false });
      await chats.setSetting(CHAT, 'quiet', JSON.stringify({ start: '21:00', end: 420, enabled: true }), { at: NOW, by: 'u1', what: '免打扰' });
      const at = { key: `${prefix}:chat:sandbox:${CHAT.chatId}:settings`, field: 'quiet' };

      expect(await damagedAt(() => contexts.quietHours(CHAT))).toEqual(at);
      expect(await damagedAt(() => contexts.for(CHAT))).toEqual(at);
      expect(await damagedAt(() => contexts.forMany([other, CHAT]))).toEqual(at);
    });

    it('should read a damaged draft as none and report its key, where an unreadable one used to throw', async () => {
      const drafts = new DraftRepo(redis, prefix, report);
      const key = `${prefix}:chat:sandbox:${CHAT.chatId}:draft:u1`;
      await redis.set(key, NOT_JSON);
      expect(await drafts.takeIf(CHAT, 'u1', 'abcdef')).toBeUndefined();
      expect(await drafts.take(CHAT, 'u1')).toBeUndefined();
      expect(reported.map(where)).toEqual([{ key }, { key }]);
    });
  });

  describe('the sandbox platform', () => {
    it('should list the good chats, members and messages, and throw with the key for one damaged chat or message', async () => {
      const sandbox = new SandboxRepo(redis, tx, prefix, { report });
      await sandbox.saveChat({ id: 'g1', name: '一支部' }, members);
      await sandbox.saveChat({ id: 'g2', name: '二支部' }, members);
      const chatsKey = `${prefix}:sandbox:chats`;
      const membersKey = `${prefix}:sandbox:chat:g1:members`;
      await redis.hset(chatsKey, 'g2', JSON.stringify({ id: 'g2' }));
      await redis.hset(membersKey, 'u3', JSON.stringify({ id: 'u3', name: '成员3', platformRole: 'king' }));
      const first = await sandbox.append({ chatId: 'g1', from: members[0] ?? null, kind: 'text', text: [{ text: '你好' }], at: NOW });
      const second = await sandbox.append({ chatId: 'g1', from: null, kind: 'card', at: NOW }, 'idem-1');
      const third = await sandbox.append({ chatId: 'g1', from: null, kind: 'text', text: [{ text: '再见' }], at: NOW });
      const secondKey = `${prefix}:sandbox:msg:${second.message.id}`;
      const damaged = JSON.stringify({ ...second.message, kind: 'video' });
      await redis.set(secondKey, damaged);

      expect((await sandbox.chats()).map((c) => c.id)).toEqual(['g1']);
      expect((await sandbox.members('g1')).map((m) => m.id)).toEqual(['u1', 'u2']);
      expect((await sandbox.history('g1')).map((m) => m.id)).toEqual([first.message.id, third.message.id]);
      expect(reported.map(where)).toEqual([
        { key: chatsKey, field: 'g2' },
        { key: membersKey, field: 'u3' },
        { key: secondKey },
      ]);

      expect(await damagedAt(() => sandbox.chat('g2'))).toEqual({ key: chatsKey, field: 'g2' });
      expect(await damagedAt(() => sandbox.get(second.message.id))).toEqual({ key: secondKey });
      const card = { header: { title: 't', subtitle: 's', color: 'blue' as const }, fields: [], tally: '', groups: [], buttons: [], footer: '' };
      expect(await damagedAt(() => sandbox.updateCard(second.message.id, card, NOW))).toEqual({ key: secondKey });
      expect(await damagedAt(() => sandbox.append({ chatId: 'g1', from: null, kind: 'card', at: NOW }, 'idem-1'))).toEqual({ key: secondKey });
      expect(await redis.get(secondKey)).toBe(damaged);
      expect(await redis.llen(`${prefix}:sandbox:chat:g1:log`)).toBe(3);
    });
  });

  describe('reporting', () => {
    it('should pass a DamagedRecord through the error funnel with its own code and the key in its detail', () => {
      const err = new DamagedRecord('p:duty:abc', undefined, 'not JSON');
      expect(toAppError(err)).toBe(err);
      expect(err.code).toBe(ErrorCode.DamagedRecord);
      expect(err.isUserError).toBe(false);
      expect(err.message).toBe('damaged record p:duty:abc: not JSON');
    });

    it('should log a warning naming the key and field when the composition root’s report is used', () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      logDamaged(pino({ level: 'info' }, sink))(new DamagedRecord('p:duty:abc:answers', 'u2', 'not JSON'));
      const line = JSON.parse(lines[0] ?? '{}') as { level: number; key: string; field: string; msg: string };
      expect(line).toMatchObject({ level: 40, key: 'p:duty:abc:answers', field: 'u2', msg: 'damaged record left out' });
    });

    it('should emit a process warning naming the key when a store was built without a report', () => {
      const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        warnDamaged(new DamagedRecord('p:duty:abc', undefined, 'not JSON'));
        expect(emit).toHaveBeenCalledWith('damaged record p:duty:abc: not JSON', { code: ErrorCode.DamagedRecord });
      } finally {
        emit.mockRestore();
      }
    });
  });
});
