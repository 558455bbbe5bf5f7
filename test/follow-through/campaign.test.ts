import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import type { Member } from '../../src/domain/types';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const ms = (iso: string): number => Date.parse(iso);
const branch = (i: number): { id: string; name: string } => ({ id: `branch-${i + 10}`, name: `第${i + 1}支部` });
/** Branch i has 3 + (i % 3) members: 3, 4 or 5. */
const membersOf = (i: number): Member[] =>
  Array.from({ length: 3 + (i % 3) }, (_, k) => ({ id: `b${i}m${k}`, name: `成员${i}-${k}`, platformRole: k === 0 ? 'owner' : 'member' }));

describe('campaigns across chats (发起 … 范围 …)', () => {
  let started: StartedBot;
  let committee: SandboxDriver;
  const clock = new TestClock(ms('2026-11-27T10:00:00+08:00'));

  beforeEach(async () => {
    clock.t = ms('2026-11-27T10:00:00+08:00');
    // The working committee's chat is a 工委群 (only there may secretaries start campaigns: issue #11 item 6).
    started = await startBot({ clock: () => clock.now(), env: { COMMITTEE_CHATS: 'sandbox:committee' } });
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat({ id: 'committee', name: '机关工委' }, [{ id: 'w1', name: '周书记', platformRole: 'owner' }, { id: 'w2', name: '吴干事' }]);
    await started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'committee' }, '机关工委', undefined, 'group');
    for (let i = 0; i < 20; i++) {
      await sandbox.repo.saveChat(branch(i), membersOf(i));
      await started.bot.services.chats.touch({ platform: 'sandbox', chatId: branch(i).id }, branch(i).name, undefined, 'group');
    }
    committee = new SandboxDriver(started, 'committee');
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should create a report in each of 20 chats and keep a summary of 已提交 N/M and the lagging chats', async () => {
    const reply = await committee.command('w1', '发起 述职 2026年度述职报告 截止 12月20日 范围 全部');
    expect(reply).toBe('已在 20 个群发起「2026年度述职报告」（截止 12月20日（周日）18:00），本群将显示各群进度。');
    for (let i = 0; i < 20; i++) {
      const d = new SandboxDriver(started, branch(i).id);
      const card = await d.card(1);
      expect(card.card.tally).toBe(`已提交 0 · 未提交 ${membersOf(i).length}`);
    }
    // Scripted answers: in branch i, the first (i % 4) members submit.
    const { duties, dutyService } = started.bot.services;
    for (let i = 0; i < 20; i++) {
      const duty = await duties.getByNumber({ platform: 'sandbox', chatId: branch(i).id }, 1);
      for (const m of membersOf(i).slice(0, i % 4)) await dutyService.answer(duty?.id ?? '', m, 'submitted', clock.now());
    }
    const expected = Array.from({ length: 20 }, (_, i) => ({ name: branch(i).name, done: Math.min(i % 4, membersOf(i).length), total: membersOf(i).length }));
    const summary = await eventually(async () => {
      const cards = (await committee.messages()).filter((m) => m.kind === 'card');
      const c = cards[cards.length - 1]?.card;
      const progress = c?.groups.find((g) => g.label === '各群进度');
      const b19 = progress?.entries.find((e) => e.name === '第20支部');
      return b19?.note === `已提交 ${expected[19]?.done}/${expected[19]?.total}` && c;
    }, 10000, 'the summary to catch up');
    const progress = summary.groups.find((g) => g.label === '各群进度')?.entries ?? [];
    for (const e of expected) expect(progress.find((p) => p.name === e.name)?.note).toBe(`已提交 ${e.done}/${e.total}`);
    const lagging = (summary.groups.find((g) => g.label === '滞后')?.entries ?? []).map((e) => e.name).sort();
    const expectedLagging = expected.filter((e) => e.done < e.total).map((e) => e.name).sort();
    expect(lagging).toEqual(expectedLagging);
    const done = expected.reduce((n, e) => n + e.done, 0);
    const total = expected.reduce((n, e) => n + e.total, 0);
    expect(summary.tally).toBe(`已提交 ${done}/${total}`);
  });

  it('should run a campaign over the chats named in 范围 only', async () => {
    const reply = await committee.command('w1', '发起 述职 年度述职 截止 12月20日 范围 第1支部,第2支部');
    expect(reply).toContain('已在 2 个群发起');
    expect(await new SandboxDriver(started, branch(2).id).cardsOf(1)).toEqual([]);
  });

  it('should refuse unknown chats, a missing scope and members who are not secretaries, creating nothing', async () => {
    expect(await committee.command('w1', '发起 述职 年度述职 截止 12月20日 范围 第99支部')).toBe('我不在这些群里或没找到：第99支部。请先把我拉进群，或检查群名。');
    expect(await committee.command('w1', '发起 述职 年度述职 截止 12月20日')).toContain('请写上范围');
    expect(await committee.command('w2', '发起 述职 年度述职 截止 12月20日 范围 全部')).toBe(CAMPAIGN_REFUSAL.notSecretary);
    expect(await started.bot.services.duties.listOpen({ platform: 'sandbox', chatId: branch(0).id })).toEqual([]);
  });

  it('should refuse a deadline already past with the date it read (issue 12), creating nothing', async () => {
    expect(await committee.command('w1', '发起 述职 年度述职 截止 昨天 范围 全部')).toBe('这个时间已经过去了（11月26日（周四）18:00），请换一个将来的时间。');
    expect(await committee.command('w1', '发起 述职 年度述职 截止 11月20日 范围 全部')).toBe('这个时间已经过去了（11月20日（周五）18:00），请换一个将来的时间。');
    expect(await started.bot.services.duties.listOpen({ platform: 'sandbox', chatId: branch(0).id })).toEqual([]);
  });
});
