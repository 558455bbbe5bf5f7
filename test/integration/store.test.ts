import { Redis } from 'ioredis';
import type { ChatRef, Duty, Member } from '../../src/domain/types';
import { ChatRepo } from '../../src/store/chat-repo';
import { Dedupe } from '../../src/store/dedupe';
import { DutyRepo, type NewDuty } from '../../src/store/duty-repo';
import { TxPool } from '../../src/store/redis';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const chatA = { platform: 'sandbox' as const, chatId: 'branch-1' };
const chatB = { platform: 'feishu' as const, chatId: 'oc_abc' };
const members: Member[] = Array.from({ length: 50 }, (_, i) => ({ id: `u${i + 1}`, name: `成员${i + 1}` }));

const input = (chat: ChatRef = chatA, at = NOW + 86_400_000): NewDuty => ({
  chat,
  kind: 'meeting',
  label: '会议',
  title: '支部委员会',
  at,
  organizer: { id: 'u1', name: '成员1' },
  audience: members.map((m) => m.id),
  reminderOffsets: [1440, 60],
});

describe('Redis repositories', () => {
  let redis: Redis;
  let tx: TxPool;
  let prefix: string;
  let duties: DutyRepo;

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    tx = new TxPool(redis);
    duties = new DutyRepo(redis, tx, prefix);
  });

  afterEach(async () => {
    await tx.close();
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('should number duties per chat, short and typable', async () => {
    const a1 = await duties.create(input(chatA), NOW);
    const a2 = await duties.create(input(chatA), NOW);
    const b1 = await duties.create(input(chatB), NOW);
    expect([a1.number, a2.number, b1.number]).toEqual([1, 2, 1]);
    expect((await duties.getByNumber(chatA, 2))?.id).toBe(a2.id);
    expect(await duties.getByNumber(chatB, 2)).toBeUndefined();
    expect(a1.id).toMatch(/^[a-z2-7]{12}$/);
  });

  it('should keep records without a TTL', async () => {
    const duty = await duties.create(input(), NOW);
    await duties.answer(duty.id, 'u2', 'attending', NOW);
    const keys = await redis.keys(`${prefix}:*`);
    // The one transient marker: "a card refresh is queued" (DutyRepo.answer), which lives two seconds at most.
    const flag = `${prefix}:duty:${duty.id}:refresh`;
    const records = keys.filter((k) => k !== flag);
    expect(records.length).toBeGreaterThanOrEqual(6);
    for (const key of records) expect(await redis.ttl(key)).toBe(-1);
    expect(keys).toContain(flag);
    expect(await redis.pttl(flag)).toBeGreaterThan(0);
    expect(await redis.pttl(flag)).toBeLessThanOrEqual(2000);
  });

  it('should list open duties soonest first and drop cancelled ones', async () => {
    const later = await duties.create(input(chatA, NOW + 2 * 86_400_000), NOW);
    const sooner = await duties.create(input(chatA, NOW + 86_400_000), NOW);
    expect((await duties.listOpen(chatA)).map((d) => d.id)).toEqual([sooner.id, later.id]);
    const res = await duties.update(sooner.id, (d) => ({ duty: { ...d, state: 'cancelled' }, entry: { type: 'cancelled', at: NOW, by: 'u1' } }));
    expect(res.ok).toBe(true);
    expect((await duties.listOpen(chatA)).map((d) => d.id)).toEqual([later.id]);
    expect((await duties.listAllOpen()).map((d) => d.id)).toEqual([later.id]);
    expect((await duties.history(sooner.id)).map((h) => h.type)).toEqual(['created', 'cancelled']);
  });

  it('should keep every answer of 50 members clicking at once, each with its history entry', async () => {
    const duty = await duties.create(input(), NOW);
    const writes = await Promise.all(
      members.map((m, i) => duties.answer(duty.id, m.id, i % 5 === 0 ? 'leave' : 'attending', NOW + i, i % 5 === 0 ? '出差' : undefined)),
    );
    expect(writes.every((w) => w?.ok)).toBe(true);
    const answers = await duties.answers(duty.id);
    expect(answers.size).toBe(50);
    expect([...answers.values()].filter((a) => a.status === 'leave')).toHaveLength(10);
    const history = await duties.history(duty.id);
    expect(history.filter((h) => h.type === 'answer')).toHaveLength(50);
    expect(await duties.rev(duty.id)).toBe(51);
  });

  it('should keep one answer per member and every change in the history', async () => {
    const duty = await duties.create(input(), NOW);
    await duties.answer(duty.id, 'u2', 'attending', NOW + 1);
    await duties.answer(duty.id, 'u2', 'leave', NOW + 2, '身体不适');
    await duties.answer(duty.id, 'u2', 'attending', NOW + 3);
    const answers = await duties.answers(duty.id);
    expect(answers.get('u2')).toEqual({ memberId: 'u2', status: 'attending', at: NOW + 3 });
    const changes = (await duties.history(duty.id)).filter((h) => h.type === 'answer');
    expect(changes).toEqual([
      { type: 'answer', at: NOW + 1, by: 'u2', status: 'attending', previous: 'pending' },
      { type: 'answer', at: NOW + 2, by: 'u2', status: 'leave', previous: 'attending', reason: '身体不适' },
      { type: 'answer', at: NOW + 3, by: 'u2', status: 'attending', previous: 'leave' },
    ]);
  });

  it('should write the organizer\'s implied 参加 with each meeting it creates, and none for a report or an organizer outside the audience', async () => {
    // Issue 17: created by the same script as the duties (CREATE_DUTIES), whatever their number and chats.
    const outsider = { id: 'w1', name: '周书记' };
    const made = await duties.createMany(
      [
        input(chatA),
        { ...input(chatB), organizer: outsider },
        { ...input(chatB), kind: 'report', label: '述职' },
        { ...input(chatA), kind: 'study', label: '学习', organizer: { id: 'u7', name: '成员7' } },
      ],
      NOW,
    );
    const answers = await Promise.all(made.map(async (d) => Object.fromEntries(await duties.answers(d.id))));
    expect(answers).toEqual([
      { u1: { memberId: 'u1', status: 'attending', at: NOW, implied: true } },
      {},
      {},
      { u7: { memberId: 'u7', status: 'attending', at: NOW, implied: true } },
    ]);
    expect(made.map((d) => d.number)).toEqual([1, 1, 2, 2]);
    // The implied answer is no history entry and no revision: the duty is as just created.
    for (const d of made) {
      expect(await duties.history(d.id)).toEqual([{ type: 'created', at: NOW, by: d.organizer.id }]);
      expect(await duties.rev(d.id)).toBe(1);
    }
  });

  it('should write nothing when an answer is refused', async () => {
    const duty: Duty = await duties.create(input(), NOW);
    const res = await duties.answer(duty.id, 'stranger', 'attending', NOW);
    expect(res).toMatchObject({ ok: false, refusal: 'not-in-audience' });
    const late = await duties.answer(duty.id, 'u2', 'attending', duty.at);
    expect(late).toMatchObject({ ok: false, refusal: 'passed' });
    // Only the organizer's implied answer, written with the duty (issue 17).
    expect([...(await duties.answers(duty.id)).keys()]).toEqual(['u1']);
    expect(await duties.history(duty.id)).toHaveLength(1);
    expect(await duties.rev(duty.id)).toBe(1);
    expect(await duties.answer('nosuchduty1', 'u2', 'attending', NOW)).toBeUndefined();
  });

  it('should grow an open audience with each member who answers', async () => {
    const duty = await duties.create({ ...input(), audience: [], audienceOpen: true }, NOW);
    await duties.answer(duty.id, 'u7', 'attending', NOW);
    await duties.answer(duty.id, 'u8', 'leave', NOW, '出差');
    await duties.answer(duty.id, 'u7', 'leave', NOW, '临时有事');
    expect((await duties.get(duty.id))?.audience).toEqual(['u7', 'u8']);
    expect((await duties.answers(duty.id)).size).toBe(2);
  });

  it('should not let a cancel and an answer interleave', async () => {
    const duty = await duties.create(input(), NOW);
    const [, answer] = await Promise.all([
      duties.update(duty.id, (d) => ({ duty: { ...d, state: 'cancelled' }, entry: { type: 'cancelled', at: NOW, by: 'u1' } })),
      duties.answer(duty.id, 'u2', 'attending', NOW),
    ]);
    const history = (await duties.history(duty.id)).map((h) => h.type);
    // Either the answer came first (and was kept) or it saw the cancelled duty and wrote nothing.
    if (answer?.ok) expect(history).toEqual(['created', 'answer', 'cancelled']);
    else expect(history).toEqual(['created', 'cancelled']);
  });

  it('should cache a roster and keep secretaries per chat', async () => {
    const chats = new ChatRepo(redis, prefix);
    await chats.saveRoster(chatA, members.slice(0, 3), NOW, '第一党支部');
    expect((await chats.roster(chatA)).members.map((m) => m.id).sort()).toEqual(['u1', 'u2', 'u3']);
    expect((await chats.roster(chatA)).refreshedAt).toBe(NOW);
    await chats.saveRoster(chatA, members.slice(1, 2), NOW + 1);
    expect((await chats.roster(chatA)).members.map((m) => m.id)).toEqual(['u2']);
    expect(await chats.name(chatA)).toBe('第一党支部');
    expect(await chats.addSecretary(chatA, 'u2')).toBe(true);
    expect(await chats.addSecretary(chatA, 'u2')).toBe(false);
    expect([...(await chats.secretaries(chatA))]).toEqual(['u2']);
    expect([...(await chats.secretaries(chatB))]).toEqual([]);
  });

  it('should take a click once, with its answer, and keep a refused click taken', async () => {
    const duty = await duties.create(input(), NOW);
    const dedupe = new Dedupe(redis, prefix);
    const click = (id: string) => ({ claim: dedupe.claim('click:feishu', id), chat: chatA, });
    const first = await duties.answer(duty.id, 'u2', 'attending', NOW, undefined, click('ev_1'));
    expect(first).toMatchObject({ ok: true, rev: 2 });
    expect(first?.answers?.get('u2')?.status).toBe('attending');
    // The same delivery again: refused, nothing written.
    expect(await duties.answer(duty.id, 'u2', 'attending', NOW + 1, undefined, click('ev_1'))).toMatchObject({ ok: false, refusal: 'replayed' });
    // A click refused as unchanged is taken all the same: replayed after a later answer it cannot undo that answer.
    expect(await duties.answer(duty.id, 'u2', 'attending', NOW + 2, undefined, click('ev_2'))).toMatchObject({ ok: false, refusal: 'unchanged' });
    expect(await duties.answer(duty.id, 'u2', 'leave', NOW + 3, '出差', click('ev_3'))).toMatchObject({ ok: true, rev: 3 });
    expect(await duties.answer(duty.id, 'u2', 'attending', NOW + 4, undefined, click('ev_2'))).toMatchObject({ ok: false, refusal: 'replayed' });
    expect((await duties.answers(duty.id)).get('u2')?.status).toBe('leave');
    expect((await duties.history(duty.id)).filter((h) => h.type === 'answer')).toHaveLength(2);
    expect(await redis.ttl(`${prefix}:seen:click:feishu:ev_2`)).toBeGreaterThan(6 * 3600);
    // The same delivery raced from two requests: exactly one records it.
    const raced = await Promise.all([1, 2, 3].map(() => duties.answer(duty.id, 'u3', 'attending', NOW + 5, undefined, click('ev_4'))));
    expect(raced.filter((r) => r?.ok)).toHaveLength(1);
    expect(raced.filter((r) => r?.ok === false && r.refusal === 'replayed')).toHaveLength(2);
  });

  it("should treat another chat's duty as missing and write nothing", async () => {
    const duty = await duties.create(input(chatA), NOW);
    expect(await duties.answer(duty.id, 'u2', 'attending', NOW, undefined, { chat: chatB })).toBeUndefined();
    // Only the organizer's implied answer, written with the duty (issue 17).
    expect([...(await duties.answers(duty.id)).keys()]).toEqual(['u1']);
    expect(await duties.rev(duty.id)).toBe(1);
  });

  it('should say whether a card refresh was already queued, until the refresh takes the flag', async () => {
    const duty = await duties.create(input(), NOW);
    expect(await duties.answer(duty.id, 'u2', 'attending', NOW)).toMatchObject({ ok: true, refreshQueued: false });
    expect(await duties.answer(duty.id, 'u3', 'attending', NOW)).toMatchObject({ ok: true, refreshQueued: true });
    // A refused answer neither sets nor reports the flag.
    expect(await duties.answer(duty.id, 'u3', 'attending', NOW)).toMatchObject({ ok: false, refusal: 'unchanged' });
    await duties.takeRefreshFlag(duty.id);
    expect(await duties.answer(duty.id, 'u4', 'attending', NOW)).toMatchObject({ ok: true, refreshQueued: false, rev: 4 });
  });

  it('should show its own roster writes at once and reuse a read for two seconds', async () => {
    let t = NOW;
    const chats = new ChatRepo(redis, prefix, () => t);
    const other = new ChatRepo(redis, prefix, () => t); // another process on the same Redis
    await chats.saveRoster(chatA, members.slice(0, 3), NOW);
    expect((await chats.member(chatA, 'u2'))?.name).toBe('成员2');
    await chats.saveRoster(chatA, [{ id: 'u2', name: '李明' }], NOW);
    expect((await chats.member(chatA, 'u2'))?.name).toBe('李明');
    expect(await chats.member(chatA, 'u3')).toBeUndefined();
    // A write by another process shows here once the memo is two seconds old.
    await other.saveRoster(chatA, [{ id: 'u2', name: '李明明' }], NOW);
    expect((await chats.member(chatA, 'u2'))?.name).toBe('李明');
    t += 2000;
    expect((await chats.member(chatA, 'u2'))?.name).toBe('李明明');
    // Names seen on clicks: written once, shown at once.
    await chats.touch(chatA, undefined, { id: 'u9', name: '王芳' });
    expect((await chats.seenNames(chatA)).get('u9')).toBe('王芳');
    await redis.hdel(`${prefix}:chat:sandbox:branch-1:names`, 'u9');
    await chats.touch(chatA, undefined, { id: 'u9', name: '王芳' });
    expect(await redis.hget(`${prefix}:chat:sandbox:branch-1:names`, 'u9')).toBeNull(); // identical touch skipped
    await chats.touch(chatA, undefined, { id: 'u9', name: '王芳芳' });
    expect(await redis.hget(`${prefix}:chat:sandbox:branch-1:names`, 'u9')).toBe('王芳芳');
  });

  it('should take an inbound event id once', async () => {
    const dedupe = new Dedupe(redis, prefix);
    expect(await dedupe.firstTime('msg:feishu', 'om_1')).toBe(true);
    expect(await dedupe.firstTime('msg:feishu', 'om_1')).toBe(false);
    expect(await dedupe.firstTime('msg:sandbox', 'om_1')).toBe(true);
    const ttl = await redis.ttl(`${prefix}:seen:msg:feishu:om_1`);
    expect(ttl).toBeGreaterThan(6 * 3600);
  });
});
