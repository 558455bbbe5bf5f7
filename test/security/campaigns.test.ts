/**
 * Campaigns (发起 … 范围 …) write a duty into other chats, so only a superadmin or a secretary of a committee chat
 * (工委群) may start one, and they reach group chats only (issue #11 item 6). The attacker is the owner of an
 * ordinary group: anyone can make a group and add the bot.
 */
import { Redis } from 'ioredis';
import type { ChatRef, Member } from '../../src/domain/types';
import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import { eventually, REDIS_URL, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const SUPERADMIN: Member = { id: 'root', name: '管理员' };
const COMMITTEE = { id: 'committee', name: '机关工委' };
const BRANCH_A = { id: 'branch-a', name: '甲支部' };
const BRANCHES = [BRANCH_A, { id: 'branch-b', name: '乙支部' }];
/** The attacker's own group: he is its owner. */
const EVIL = { id: 'evil', name: '随便建的群' };
/** A one-to-one chat between a member and the bot. */
const DIRECT = { id: 'dm-a1', name: '与甲书记的单聊' };
const LAUNCH = '发起 述职 年度述职 截止 12月20日 范围 全部';

const sandboxChat = (id: string): ChatRef => ({ platform: 'sandbox', chatId: id });

describe('who may start a campaign, and where it reaches', () => {
  let started: StartedBot;
  let redis: Redis;
  const clock = new TestClock(NOW);

  beforeEach(async () => {
    clock.t = NOW;
    started = await startBot({ clock: clock.now, env: { BOT_SUPERADMINS: SUPERADMIN.id } });
    redis = new Redis(REDIS_URL);
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat(COMMITTEE, [{ id: 'w1', name: '周书记', platformRole: 'owner' }, { id: 'w2', name: '吴干事', platformRole: 'member' }, SUPERADMIN]);
    await sandbox.repo.saveChat(EVIL, [{ id: 'x1', name: '陌生人', platformRole: 'owner' }, { id: 'x2', name: '帮手', platformRole: 'member' }]);
    await sandbox.repo.saveChat(DIRECT, [{ id: 'a1', name: '甲书记', platformRole: 'member' }]);
    for (const b of BRANCHES) {
      await sandbox.repo.saveChat(b, [{ id: `${b.id}-1`, name: `${b.name}书记`, platformRole: 'owner' }, { id: `${b.id}-2`, name: `${b.name}党员`, platformRole: 'member' }]);
    }
    // Each group has talked to the bot once through the console (so the bot knows it, as in real use).
    for (const chat of [COMMITTEE, EVIL, ...BRANCHES]) {
      const driver = new SandboxDriver(started, chat.id);
      const [first] = await sandbox.repo.members(chat.id);
      if (!first) throw new Error(`no members in ${chat.id}`);
      await driver.command(first.id, '列表');
    }
    // The one-to-one chat: a direct message through the dispatcher, as the Feishu and DingTalk adapters mark it.
    await started.bot.dispatcher.processMessage({
      kind: 'message',
      chat: sandboxChat(DIRECT.id),
      messageId: 'dm-message-1',
      sender: { id: 'a1', name: '甲书记' },
      text: '列表',
      direct: true,
      receivedAt: NOW,
    });
  });

  afterEach(async () => {
    redis.disconnect();
    await started.stop();
  });

  const prefix = (): string => started.config.REDIS_KEY_PREFIX;
  const keys = async (pattern: string): Promise<string[]> => (await redis.keys(`${prefix()}:${pattern}`)).sort();
  const allChats = [COMMITTEE, EVIL, DIRECT, ...BRANCHES];
  const openDuties = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const c of allChats) out[c.id] = (await started.bot.services.duties.listOpen(sandboxChat(c.id))).length;
    return out;
  };
  const noneAnywhere = Object.fromEntries(allChats.map((c) => [c.id, 0]));

  it('should refuse the owner of an ordinary group and create nothing anywhere', async () => {
    const evil = new SandboxDriver(started, EVIL.id);
    expect(await evil.command('x1', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await evil.command('x1', '发起 述职 年度述职 截止 12月20日 范围 甲支部')).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await openDuties()).toEqual(noneAnywhere);
    expect(await keys('campaign:*')).toEqual([]);
    expect(await keys('duty:*')).toEqual([]);
    // Nothing but the refusals was posted: no card in any chat.
    for (const c of allChats) expect((await new SandboxDriver(started, c.id).messages()).filter((m) => m.kind === 'card')).toEqual([]);
  });

  it('should refuse 设为工委群 from anyone but a superadmin, and store nothing', async () => {
    const evil = new SandboxDriver(started, EVIL.id);
    expect(await evil.command('x1', '设为工委群')).toBe(CAMPAIGN_REFUSAL.committee);
    const committee = new SandboxDriver(started, COMMITTEE.id);
    expect(await committee.command('w1', '设为工委群')).toBe(CAMPAIGN_REFUSAL.committee);
    expect(await keys('committee-chats')).toEqual([]);
    // Still refused afterwards: the attempt changed nothing.
    expect(await evil.command('x1', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await committee.command('w1', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await openDuties()).toEqual(noneAnywhere);
  });

  it('should let a secretary of a chat a superadmin marked 工委群 start one, reaching group chats only', async () => {
    const committee = new SandboxDriver(started, COMMITTEE.id);
    expect(await committee.command(SUPERADMIN.id, '设为工委群')).toBe('已设为工委群：本群的党务管理员可以用「发起 … 范围 …」跨群发起事项。');
    expect(await committee.command('w2', '工委群')).toContain('本群是工委群');
    // A member who is not a secretary of the committee chat is still refused.
    expect(await committee.command('w2', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notSecretary);
    expect(await openDuties()).toEqual(noneAnywhere);

    expect(await committee.command('w1', LAUNCH)).toContain('已在 3 个群发起「年度述职」');
    // The branches and the other group get the duty; the one-to-one chat never does.
    expect(await openDuties()).toEqual({ ...noneAnywhere, 'branch-a': 1, 'branch-b': 1, evil: 1 });
    expect((await new SandboxDriver(started, DIRECT.id).messages()).filter((m) => m.kind === 'card')).toEqual([]);
    // Naming the one-to-one chat does not reach it either.
    expect(await committee.command('w1', `发起 述职 再一次 截止 12月21日 范围 ${DIRECT.name}`)).toBe(`我不在这些群里或没找到：${DIRECT.name}。请先把我拉进群，或检查群名。`);
    expect((await started.bot.services.duties.listOpen(sandboxChat(DIRECT.id))).length).toBe(0);

    // 取消工委群: the secretary is refused again.
    expect(await committee.command(SUPERADMIN.id, '取消工委群')).toBe('已取消工委群：本群不能再跨群发起事项。');
    expect(await committee.command('w1', '发起 述职 第三次 截止 12月22日 范围 甲支部')).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await started.bot.services.chats.audit(sandboxChat(COMMITTEE.id))).toEqual([
      { at: NOW, by: SUPERADMIN.id, what: '设为工委群' },
      { at: NOW, by: SUPERADMIN.id, what: '取消工委群' },
    ]);
  });

  it('should leave out a chat not yet known to be a group, and say so', async () => {
    // Recorded before chat kinds were kept (or known only from a roster refresh): it might be a one-to-one chat.
    await started.bot.sandbox?.repo.saveChat({ id: 'legacy', name: '旧群' }, [{ id: 'l1', name: '老书记', platformRole: 'owner' }]);
    await started.bot.services.chats.touch(sandboxChat('legacy'), '旧群');
    const committee = new SandboxDriver(started, COMMITTEE.id);
    await committee.command(SUPERADMIN.id, '设为工委群');
    const reply = await committee.command('w1', LAUNCH);
    expect(reply).toContain('已在 3 个群发起「年度述职」');
    expect(reply).toContain('另有 1 个群尚未确认是群聊，未包括');
    expect(await started.bot.services.duties.listOpen(sandboxChat('legacy'))).toEqual([]);
    // Once a message there shows it is a group, the next campaign reaches it.
    await new SandboxDriver(started, 'legacy').command('l1', '列表');
    expect(await committee.command('w1', '发起 述职 补报 截止 12月21日 范围 旧群')).toContain('已在 1 个群发起');
  });

  it('should let a superadmin start one from any group chat', async () => {
    const branch = new SandboxDriver(started, 'branch-a');
    await started.bot.sandbox?.repo.saveChat({ id: 'branch-a', name: '甲支部' }, [{ id: 'branch-a-1', name: '甲支部书记', platformRole: 'owner' }, SUPERADMIN]);
    expect(await branch.command(SUPERADMIN.id, '发起 述职 年度述职 截止 12月20日 范围 乙支部')).toContain('已在 1 个群发起');
    expect(await openDuties()).toEqual({ ...noneAnywhere, 'branch-b': 1 });
  });

  it('should refuse 设为工委群 in a one-to-one chat', async () => {
    await started.bot.sandbox?.repo.saveChat(DIRECT, [{ id: 'a1', name: '甲书记' }, SUPERADMIN]);
    await started.bot.dispatcher.processMessage({
      kind: 'message',
      chat: sandboxChat(DIRECT.id),
      messageId: 'dm-message-2',
      sender: SUPERADMIN,
      text: '设为工委群',
      direct: true,
      receivedAt: NOW,
    });
    const reply = await eventually(async () => (await new SandboxDriver(started, DIRECT.id).messages()).find((m) => m.replyTo === 'dm-message-2'), 5000, 'the reply');
    expect(plain(reply.text)).toBe('工委群须是群聊：请在工委的群里发送「设为工委群」。');
    expect(await keys('committee-chats')).toEqual([]);
  });

  it('should list 设为工委群 in 帮助 and name who may start a campaign', async () => {
    const help = await new SandboxDriver(started, EVIL.id).command('x1', '帮助 全部');
    expect(help).toContain('设为工委群 / 取消工委群');
    expect(help).toMatch(/发起 述职 .*工委群/);
  });
});

describe('committee chats named in COMMITTEE_CHATS', () => {
  let started: StartedBot;

  beforeEach(async () => {
    started = await startBot({ clock: new TestClock(NOW).now, env: { COMMITTEE_CHATS: `sandbox:${COMMITTEE.id}`, BOT_SUPERADMINS: SUPERADMIN.id } });
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat(COMMITTEE, [{ id: 'w1', name: '周书记', platformRole: 'owner' }, SUPERADMIN]);
    await sandbox.repo.saveChat(BRANCH_A, [{ id: 'b1', name: '甲支部书记', platformRole: 'owner' }]);
    await new SandboxDriver(started, BRANCH_A.id).command('b1', '列表');
  });

  afterEach(async () => {
    await started.stop();
  });

  it('should let the configured committee chat secretary start one, and keep it marked against 取消工委群', async () => {
    const committee = new SandboxDriver(started, COMMITTEE.id);
    expect(await committee.command('w1', LAUNCH)).toContain('已在 1 个群发起');
    expect(await committee.command(SUPERADMIN.id, '取消工委群')).toBe('本群在配置 COMMITTEE_CHATS 中列为工委群，须由运维修改配置后重启才能取消。');
    expect(await committee.command('w1', '工委群')).toContain('本群是工委群');
  });
});
