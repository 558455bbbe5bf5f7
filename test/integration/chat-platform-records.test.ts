import { Redis } from 'ioredis';
import type { ChatRef, Member } from '../../src/domain/types';
import { ChatRepo } from '../../src/store/chat-repo';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const GROUP: ChatRef = { platform: 'dingtalk', chatId: 'cidGroup0001==' };
const ROSTER: Member[] = [
  { id: 'owner1', name: '王建国', platformRole: 'owner' },
  { id: 'u1', name: '李明', platformRole: 'member' },
  { id: 'u2', name: '张丽' },
];

/**
 * What DingTalk says of its users and groups goes through ChatRepo, under the keys the adapter used before
 * (`P:dingtalk:nick`, `:title`, `:active`, `:admins:<cid>`), so records written by earlier versions keep working;
 * DingTalk's `isAdmin` reaches the cached roster through one atomic setRole.
 */
describe('ChatRepo: platform records and setRole', () => {
  let redis: Redis;
  let prefix: string;
  let chats: ChatRepo;

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    chats = new ChatRepo(redis, prefix, () => NOW);
  });
  afterEach(async () => {
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('should set an admin in the flags and in the cached roster, leaving every other entry as it was', async () => {
    await chats.saveRoster(GROUP, ROSTER, NOW - 1000);
    expect(await chats.setRole(GROUP, 'u2', 'admin')).toBe(true);
    expect(await chats.admins(GROUP)).toEqual(new Set(['u2']));
    expect(await chats.roster(GROUP)).toEqual({ members: [ROSTER[0], ROSTER[1], { ...ROSTER[2], platformRole: 'admin' }], refreshedAt: NOW - 1000 });
    expect(await chats.setRole(GROUP, 'u2', 'admin')).toBe(false);
    expect(await chats.setRole(GROUP, 'u2', 'member')).toBe(true);
    expect(await chats.admins(GROUP)).toEqual(new Set());
    expect(await chats.member(GROUP, 'u2')).toEqual({ ...ROSTER[2], platformRole: 'member' });
  });

  it('should keep the owner owner, and record the flag only when the roster is not cached or lacks the member', async () => {
    await chats.saveRoster(GROUP, ROSTER, NOW);
    expect(await chats.setRole(GROUP, 'owner1', 'admin')).toBe(false);
    expect(await chats.member(GROUP, 'owner1')).toEqual(ROSTER[0]);
    expect(await chats.setRole(GROUP, 'stranger', 'admin')).toBe(false);
    expect((await chats.roster(GROUP)).members).toHaveLength(ROSTER.length);
    const plain: ChatRef = { platform: 'dingtalk', chatId: 'cidPlain0001==' };
    expect(await chats.setRole(plain, 'u1', 'admin')).toBe(false);
    expect(await chats.roster(plain)).toEqual({ members: [] });
    expect(await chats.admins(GROUP)).toEqual(new Set(['owner1', 'stranger']));
    expect(await chats.admins(plain)).toEqual(new Set(['u1']));
  });

  it('should keep a roster entry written between a read and setRole (no whole-roster rewrite)', async () => {
    await chats.saveRoster(GROUP, ROSTER, NOW);
    await chats.roster(GROUP); // this process now remembers the roster without the newcomer
    await redis.hset(`${prefix}:chat:dingtalk:${GROUP.chatId}:members`, 'u9', JSON.stringify({ id: 'u9', name: '新人' }));
    await chats.setRole(GROUP, 'u1', 'admin');
    expect((await chats.roster(GROUP)).members.map((m) => m.id).sort()).toEqual(['owner1', 'u1', 'u2', 'u9']);
  });

  it('should keep names, titles and activity under the keys earlier versions wrote', async () => {
    await redis.hset(`${prefix}:dingtalk:nick`, 'old1', '老党员');
    await redis.hset(`${prefix}:dingtalk:title`, 'cidOld==', '老支部');
    await redis.zadd(`${prefix}:dingtalk:active`, NOW - 40 * 86_400_000, 'cidOld==');
    await redis.sadd(`${prefix}:dingtalk:admins:cidOld==`, 'old1');
    await chats.rememberNames('dingtalk', [
      ['u1', '李明'],
      ['u2', 'u2'],
      ['', '无名'],
    ]);
    await chats.markActive(GROUP, '第一党支部', NOW);
    await chats.markActive({ platform: 'dingtalk', chatId: 'cidUntitled==' }, undefined, NOW - 1000);
    expect(await chats.platformNames('dingtalk', ['u1', 'u2', 'old1'])).toEqual(
      new Map([
        ['u1', '李明'],
        ['old1', '老党员'],
      ]),
    );
    expect(await chats.platformNames('dingtalk', [])).toEqual(new Map());
    expect(await chats.title(GROUP)).toBe('第一党支部');
    expect(await chats.title({ platform: 'dingtalk', chatId: 'cidOld==' })).toBe('老支部');
    expect(await chats.title({ platform: 'dingtalk', chatId: 'cidUntitled==' })).toBeUndefined();
    expect((await chats.activeSince('dingtalk', NOW - 30 * 86_400_000)).sort()).toEqual([GROUP.chatId, 'cidUntitled==']);
    expect(await chats.admins({ platform: 'dingtalk', chatId: 'cidOld==' })).toEqual(new Set(['old1']));
    expect(await redis.hget(`${prefix}:dingtalk:nick`, 'u1')).toBe('李明');
  });
});
