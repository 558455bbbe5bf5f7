import { Redis } from 'ioredis';
import type { DingTalkState } from '../../src/platforms/dingtalk/state';
import { dingtalkState } from '../../src/store/platform-state/dingtalk-state';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

const CHAT = 'cidStateTests01==';

/**
 * The DingTalk adapter's platform state lives among the Redis repositories (src/store/platform-state), reached by the
 * adapter through the interfaces of src/platforms/dingtalk/state.ts. The keys are those of earlier versions, and
 * a stored JSON record that does not parse is reported with its key.
 */
describe('DingTalk platform state on Redis', () => {
  let redis: Redis;
  let prefix: string;
  let state: DingTalkState;
  const key = (...parts: string[]): string => [prefix, 'dingtalk', ...parts].join(':');

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    state = dingtalkState(redis, prefix);
  });
  afterEach(async () => {
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('should keep session webhooks: the message’s own, else the conversation’s freshest, while valid', async () => {
    const now = Date.now();
    await state.sessions.save(CHAT, 'm1', { url: 'https://oapi.dingtalk.com/robot/sendBySession?session=a', expiresAt: now + 600_000 }, now);
    await state.sessions.save(CHAT, 'm2', { url: 'https://oapi.dingtalk.com/robot/sendBySession?session=b', expiresAt: now + 300_000 }, now);
    await state.sessions.save(CHAT, 'm3', { url: 'https://oapi.dingtalk.com/robot/sendBySession?session=c', expiresAt: now + 10_000 }, now);
    expect((await state.sessions.find(CHAT, 'm2', now))?.url).toContain('session=b');
    expect((await state.sessions.find(CHAT, 'm3', now))?.url).toContain('session=a');
    expect((await state.sessions.find(CHAT, undefined, now))?.url).toContain('session=a');
    expect(await state.sessions.find(CHAT, undefined, now + 600_000)).toBeUndefined();
    expect(JSON.parse((await redis.get(key('session', 'chat', CHAT))) ?? '{}')).toMatchObject({ url: expect.stringContaining('session=a') });
  });

  it('should remember sends by key, card generations and the group of each card', async () => {
    const ref = { platform: 'dingtalk' as const, chatId: CHAT, messageId: 'lsc_1', sentAt: 1 };
    expect(await state.sends.sent('k1')).toBeUndefined();
    await state.sends.recordSent('k1', ref);
    expect(await state.sends.sent('k1')).toEqual(ref);
    await state.sends.bumpCardGeneration('k1');
    await state.sends.bumpCardGeneration('k1');
    expect(await state.sends.cardGeneration('k1')).toBe(2);
    await state.sends.rememberCard('lsc_1', CHAT);
    expect(await state.sends.cardChat('lsc_1')).toBe(CHAT);
    expect(await redis.get(key('card', 'lsc_1'))).toBe(CHAT);
  });

  it('should report a damaged record with its key rather than use it', async () => {
    await redis.set(key('sent', 'k2'), JSON.stringify({ chatId: CHAT }));
    await expect(state.sends.sent('k2')).rejects.toThrow(key('sent', 'k2'));
    await redis.set(key('session', 'msg', 'm9'), '{not json');
    await expect(state.sessions.find(CHAT, 'm9', Date.now())).rejects.toThrow(key('session', 'msg', 'm9'));
    await redis.set(key('tally', CHAT, 'card1', 'latest'), JSON.stringify({ title: 1 }));
    await expect(state.tally.latest(CHAT, 'card1')).rejects.toThrow(key('tally', CHAT, 'card1', 'latest'));
  });

  it('should take a card callback and a signature pair once', async () => {
    expect(await state.callbacks.claim('e1')).toBe(true);
    expect(await state.callbacks.claim('e1')).toBe(false);
    expect(await state.signatures.claim('card', 'p1', 'body-a', 60)).toBe('first');
    expect(await state.signatures.claim('card', 'p1', 'body-a', 60)).toBe('repeat');
    expect(await state.signatures.claim('card', 'p1', 'body-b', 60)).toBe('reused');
    expect(await redis.get(key('sig', 'card', 'p1'))).toBe('body-a');
    await state.signatures.release('card', 'p1');
    expect(await state.signatures.claim('card', 'p1', 'body-b', 60)).toBe('first');
  });

  it('should buffer a tally: one interval at a time, the newest content, and whether it was posted', async () => {
    expect(await state.tally.openInterval(CHAT, 'card1', 60_000, 1234)).toBeUndefined();
    const running = await state.tally.openInterval(CHAT, 'card1', 60_000, 5678);
    expect(running?.since).toBe('1234');
    expect(running?.remainingMs).toBeGreaterThan(50_000);
    expect(await state.tally.latest(CHAT, 'card1')).toBeUndefined();
    await state.tally.keep(CHAT, 'card1', { title: '会议', text: '参加 1' });
    const latest = await state.tally.latest(CHAT, 'card1');
    expect(latest).toMatchObject({ content: { title: '会议', text: '参加 1' }, posted: false });
    await state.tally.markPosted(CHAT, 'card1', latest?.digest ?? '');
    expect((await state.tally.latest(CHAT, 'card1'))?.posted).toBe(true);
    await state.tally.closeInterval(CHAT, 'card1');
    expect(await state.tally.openInterval(CHAT, 'card1', 60_000, 9999)).toBeUndefined();
  });

  it('should count the month’s calls and warn once', async () => {
    expect(await state.quota.count('2026-11')).toBe(1);
    expect(await state.quota.count('2026-11')).toBe(2);
    expect(await state.quota.used('2026-11')).toBe(2);
    expect(await state.quota.used('2026-12')).toBe(0);
    expect(await state.quota.firstWarning('2026-11', 2)).toBe(true);
    expect(await state.quota.firstWarning('2026-11', 3)).toBe(false);
    expect(await redis.get(key('quota', '2026-11'))).toBe('2');
  });

  it('should keep direct chats, group facts and what each card shows', async () => {
    await state.directs.remember('cidDirect==', 'u1');
    await state.directs.remember('cidDirect==', 'u2');
    expect(await state.directs.userOf('cidDirect==')).toBe('u1');
    await state.directs.forget('cidDirect==');
    expect(await state.directs.userOf('cidDirect==')).toBeUndefined();
    expect(await state.groups.owner(CHAT)).toBeUndefined();
    await state.groups.saveOwner(CHAT, '');
    expect(await state.groups.owner(CHAT)).toBe('');
    await state.groups.markNoMemberApi(CHAT, 'groupPermissionDenied');
    expect(await state.groups.noMemberApi(CHAT)).toBe('groupPermissionDenied');
    await state.shown.beginAnswer('lsc_1', 3000);
    expect(await state.shown.answering('lsc_1')).toBe(1);
    await state.shown.endAnswer('lsc_1', 3000);
    expect(await state.shown.answering('lsc_1')).toBe(0);
    await state.shown.setShown('lsc_1', 'digest');
    expect(await state.shown.shown('lsc_1')).toBe('digest');
  });
});
