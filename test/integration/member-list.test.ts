import { Redis } from 'ioredis';
import { PlatformRegistry } from '../../src/app/platform-registry';
import { RosterService } from '../../src/app/roster';
import type { ChatRef, Member } from '../../src/domain/types';
import { NoMemberListError, PlatformError, toAppError } from '../../src/errors';
import { Metrics } from '../../src/metrics';
import type { PlatformPort } from '../../src/platforms/port';
import { ChatRepo } from '../../src/store/chat-repo';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

const NOW = Date.UTC(2025, 5, 2, 8);
const DAY = 24 * 3600 * 1000;
const CHAT: ChatRef = { platform: 'dingtalk', chatId: 'cidOrdinaryGroup01==' };
const KEPT: Member[] = [
  { id: 'u1', name: '李明' },
  { id: 'u2', name: '张丽' },
];
const DEPARTMENT: Member[] = [{ id: 'u7', name: '刘洋' }];

/** A platform that keeps no member list for any chat (a DingTalk group that is not a scene group), with departments. */
function listlessPort(calls: string[]): PlatformPort {
  const refuse = (): Promise<never> => Promise.reject(new Error('not used here'));
  return {
    name: 'dingtalk',
    sendCard: refuse,
    updateCard: refuse,
    sendText: refuse,
    listMembers: async (chatId) => {
      calls.push(`list ${chatId}`);
      return undefined;
    },
    departmentMembers: async (deptId) => (deptId === '100' ? DEPARTMENT : []),
    mention: (m) => `@${m.id}`,
  };
}

/**
 * "This chat has no member list" is the port answering undefined, not an error with a magic code: a new duty's
 * audience is open, a roster kept with 名单 stands, and where members are required the user is told as before.
 */
describe('a chat whose platform keeps no member list', () => {
  let redis: Redis;
  let prefix: string;
  let chats: ChatRepo;
  let calls: string[];
  let roster: RosterService;
  let platforms: PlatformRegistry;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = uniquePrefix();
    chats = new ChatRepo(redis, prefix, () => NOW);
    calls = [];
    platforms = new PlatformRegistry(new Metrics({ defaults: false }));
    platforms.register(listlessPort(calls));
    roster = new RosterService(chats, platforms, () => NOW);
  });
  afterEach(async () => {
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('should give a new duty an open audience and save no roster', async () => {
    expect(await roster.audience(CHAT)).toEqual([]);
    expect(await roster.membersMany([CHAT])).toEqual(new Map([[`dingtalk:${CHAT.chatId}`, []]]));
    expect(calls.length).toBeGreaterThan(0);
    expect(await chats.roster(CHAT)).toEqual({ members: [] });
  });

  it('should use the roster kept with 名单 as it is, even when asked for a fresh one', async () => {
    await chats.saveRoster(CHAT, KEPT, NOW - 2 * DAY);
    expect(await roster.members(CHAT, { fresh: true })).toEqual(KEPT);
    expect(await roster.audience(CHAT)).toEqual(KEPT);
    expect(await chats.roster(CHAT)).toEqual({ members: KEPT, refreshedAt: NOW - 2 * DAY });
  });

  it('should tell the user the same as before where members are required and none are known', async () => {
    const err = await roster.members(CHAT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoMemberListError);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).permanent).toBe(true);
    expect(toAppError(err).userMessage).toBe('平台暂时无法发送消息，稍后会重试。');
  });

  it('should still name the people seen in the chat', async () => {
    await chats.touch(CHAT, undefined, { id: 'u3', name: '王建国' });
    expect(await roster.names(CHAT)).toEqual(new Map([['u3', '王建国']]));
  });

  it('should reach a department through the port interface, also when the registry measures the port', async () => {
    const port = platforms.get('dingtalk');
    expect(await port.departmentMembers?.('100')).toEqual(DEPARTMENT);
    expect(await port.listMembers(CHAT.chatId)).toBeUndefined();
  });
});
