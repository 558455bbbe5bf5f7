/**
 * The sandbox's demo (issue #12): the committee chat 市直机关工委, a 工委群, and the branches 第一党支部 and 第二党支部,
 * so that a campaign can be tried without a platform. Seeding runs at every start: it creates what is missing and
 * leaves what exists as it is.
 */
import { Bot } from '../../src/bot';
import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import {
  DEMO_BRANCH_2,
  DEMO_BRANCH_2_MEMBERS,
  DEMO_CHAT,
  DEMO_COMMITTEE,
  DEMO_COMMITTEE_MEMBERS,
  DEMO_MEMBERS,
} from '../../src/platforms/sandbox/seed';
import { Redis } from 'ioredis';
import { REDIS_URL, removePrefix, silentLogger, testConfig, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const ref = (chatId: string) => ({ platform: 'sandbox' as const, chatId });

/** A bot on `prefix` whose stop keeps the keys (the next start finds them, as a restart does). */
async function start(prefix: string, demo: 'full' | 'branch', clock = new TestClock(NOW)): Promise<StartedBot> {
  const config = testConfig({ REDIS_KEY_PREFIX: prefix, SANDBOX_DEMO: demo });
  const bot = new Bot({ config, log: silentLogger(), clock: clock.now });
  const port = await bot.start(0, '127.0.0.1');
  return { bot, port, config, baseUrl: `http://127.0.0.1:${port}`, stop: () => bot.stop() };
}

/** Every sandbox and chat key under the prefix with its value: what a seed could have changed. */
async function snapshot(prefix: string): Promise<Record<string, unknown>> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = (await redis.keys(`${prefix}:*`)).filter((k) => /:(sandbox|chats?|committee-chats)(:|$)/.test(k)).sort();
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const type = await redis.type(key);
      out[key] =
        type === 'hash' ? await redis.hgetall(key) : type === 'set' ? (await redis.smembers(key)).sort() : type === 'list' ? await redis.lrange(key, 0, -1) : await redis.get(key);
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

describe('the sandbox demo chats', () => {
  const prefix = uniquePrefix();
  let started: StartedBot | undefined;
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    await removePrefix(prefix);
  });

  it('should create the committee chat and two branches, and let the committee secretary start a campaign over both', async () => {
    started = await start(prefix, 'full');
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    expect(await sandbox.repo.chats()).toEqual([DEMO_CHAT, DEMO_BRANCH_2, DEMO_COMMITTEE]);
    expect(await sandbox.repo.members(DEMO_CHAT.id)).toEqual(DEMO_MEMBERS);
    expect(await sandbox.repo.members(DEMO_BRANCH_2.id)).toEqual(DEMO_BRANCH_2_MEMBERS);
    expect(await sandbox.repo.members(DEMO_COMMITTEE.id)).toEqual(DEMO_COMMITTEE_MEMBERS);
    const { chats } = started.bot.services;
    expect(await chats.committeeChats()).toEqual(['sandbox:committee']);
    expect(await chats.known('sandbox')).toEqual([ref('branch-1'), ref('branch-2'), ref('committee')]);

    const committee = new SandboxDriver(started, DEMO_COMMITTEE.id);
    expect(await committee.command('u32', '发起 述职 年度述职报告 截止 12月20日 范围 全部')).toBe(CAMPAIGN_REFUSAL.notSecretary);
    expect(await committee.command('u31', '发起 述职 年度述职报告 截止 12月20日 范围 全部')).toBe(
      '已在 2 个群发起「年度述职报告」（截止 12月20日（周日）18:00），本群将显示各群进度。',
    );
    expect((await new SandboxDriver(started, DEMO_CHAT.id).card(1)).card.tally).toBe('已提交 0 · 未提交 6');
    expect((await new SandboxDriver(started, DEMO_BRANCH_2.id).card(1)).card.tally).toBe('已提交 0 · 未提交 5');
  });

  it('should change nothing on a restart, whatever was changed since', async () => {
    started = await start(prefix, 'full');
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    // What an operator or the members did meanwhile: the committee chat unmarked, a member added, a message said.
    await started.bot.services.chats.setCommittee(ref('committee'), false, { at: NOW, by: 'ops', what: '取消工委群' });
    await sandbox.repo.saveChat({ id: DEMO_BRANCH_2.id, name: '第二党支部（机关）' }, [...DEMO_BRANCH_2_MEMBERS, { id: 'u26', name: '新党员', platformRole: 'member' }]);
    await new SandboxDriver(started, DEMO_CHAT.id).say('u2', '大家好');
    await started.stop();
    const before = await snapshot(prefix);

    started = await start(prefix, 'full');
    expect(await snapshot(prefix)).toEqual(before);
    expect(await started.bot.services.chats.committeeChats()).toEqual([]);
    expect(await started.bot.sandbox?.repo.members(DEMO_BRANCH_2.id)).toHaveLength(6);
  });

  it('should add the missing demo chats to a deployment that had 第一党支部 alone, keeping its messages', async () => {
    started = await start(prefix, 'branch');
    expect((await started.bot.sandbox?.repo.chats())?.map((c) => c.id)).toEqual([DEMO_CHAT.id]);
    expect(await started.bot.services.chats.committeeChats()).toEqual([]);
    const said = await new SandboxDriver(started, DEMO_CHAT.id).say('u3', '收到');
    await started.stop();

    started = await start(prefix, 'full');
    const sandbox = started.bot.sandbox;
    expect((await sandbox?.repo.chats())?.map((c) => c.id)).toEqual([DEMO_CHAT.id, DEMO_BRANCH_2.id, DEMO_COMMITTEE.id]);
    expect((await sandbox?.repo.history(DEMO_CHAT.id))?.map((m) => m.id)).toEqual([said]);
    expect(await sandbox?.repo.members(DEMO_CHAT.id)).toEqual(DEMO_MEMBERS);
    expect(await started.bot.services.chats.committeeChats()).toEqual(['sandbox:committee']);
    expect(await started.bot.services.chats.kinds([ref('branch-1'), ref('branch-2')])).toEqual(
      new Map([
        ['sandbox:branch-1', 'group'],
        ['sandbox:branch-2', 'group'],
      ]),
    );
  });
});
