/**
 * Issue 17: the organizer of a meeting or study session is counted as attending unless they answer otherwise — on the
 * card, in nudges and in 统计 — when they are in its audience; a report, or an organizer outside the audience, gets
 * no such answer.
 */
import type { CardModel } from '../../src/domain/card-model';
import { eventually } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { ask, dutyNo, groupNames, NOW, shanghai, snapshot, startWorld, type CardMessage, type World } from './support';

describe('the organizer attends their own meeting unless they answer otherwise', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  /** Say a command and wait for the card the bot answers it with. */
  async function askCard(senderId: string, command: string): Promise<CardModel> {
    const id = await w.driver.say(senderId, `@落实 ${command}`);
    const found = await eventually(
      async () => (await w.driver.messages()).find((m): m is CardMessage => m.replyTo === id && m.kind === 'card' && m.card !== undefined),
      5000,
      `the card answering「${command}」`,
    );
    return found.card;
  }

  it('should show the organizer under 参加 on a new meeting’s card, as an implied answer', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    const card = await w.driver.card(1);
    expect(card.card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    expect(groupNames(card.card, '参加')).toEqual(['王建国']);
    expect(groupNames(card.card, '未回复')).toEqual(['李明', '张丽', '刘洋', '陈静', '赵磊']);
    const duty = await dutyNo(w.started, 1);
    expect(Object.fromEntries(await w.started.bot.services.duties.answers(duty.id))).toEqual({
      u1: { memberId: 'u1', status: 'attending', at: NOW, implied: true },
    });
    // Not an answer anyone gave: the history holds the creation only.
    expect(await w.started.bot.services.duties.history(duty.id)).toEqual([{ type: 'created', at: NOW, by: 'u1' }]);
  });

  it('should do the same for a study session', async () => {
    await ask(w.driver, 'u1', '学习 党章学习 明天上午9点');
    const card = await w.driver.card(1);
    expect(card.card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    expect(groupNames(card.card, '参加')).toEqual(['王建国']);
  });

  it('should let the organizer change to 请假, and the card and tally follow', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    const card = await w.driver.card(1);
    const res = await w.driver.clickButton(card, 'u1', '请假', { reason: '外出开会' });
    expect(res.body.toast).toEqual({ kind: 'success', text: '已请假 #1（外出开会）' });
    expect(res.body.card?.tally).toBe('参加 0 · 请假 1 · 未回复 5');
    expect(res.body.card && groupNames(res.body.card, '参加')).toEqual([]);
    expect(res.body.card && groupNames(res.body.card, '请假')).toEqual(['王建国（外出开会）']);
    const duty = await dutyNo(w.started, 1);
    expect((await w.started.bot.services.duties.history(duty.id)).slice(1)).toEqual([
      { type: 'answer', at: NOW, by: 'u1', status: 'leave', previous: 'attending', reason: '外出开会' },
    ]);
    // By text too: back to 参加, now the organizer's own answer.
    expect((await ask(w.driver, 'u1', '参加 #1')).reply).toContain('#1');
    expect((await snapshot(w.started, 1)).answers).toEqual([['u1', { memberId: 'u1', status: 'attending', at: NOW }]]);
    expect((await ask(w.driver, 'u2', '统计 #1')).reply).toContain('参加 1 · 请假 0 · 未回复 5\n参加：王建国');
  });

  it('should accept the organizer confirming 参加 once, then answer 你已回复 like anyone else', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    const card = await w.driver.card(1);
    const res = await w.driver.clickButton(card, 'u1', '参加');
    expect(res.body.toast).toEqual({ kind: 'success', text: '已确认参加 #1' });
    expect(res.body.card?.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    const duty = await dutyNo(w.started, 1);
    expect(Object.fromEntries(await w.started.bot.services.duties.answers(duty.id))).toEqual({ u1: { memberId: 'u1', status: 'attending', at: NOW } });
    const before = await snapshot(w.started, 1);
    const again = await w.driver.clickButton(card, 'u1', '参加');
    expect(again.body.toast).toEqual({ kind: 'info', text: '你已回复「参加」。' });
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it('should not nudge the organizer, and count them as attended in 统计 after the meeting', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    await ask(w.driver, 'u2', '参加 #1');
    const nudge = await ask(w.driver, 'u1', '催办 #1');
    expect(nudge.reply).toContain('⏰ 催办 @张丽 @刘洋 @陈静 @赵磊');
    expect(nudge.reply).not.toContain('王建国');

    w.clock.t = shanghai('2026-11-28T18:00');
    const stats = await askCard('u1', '统计 本月');
    const members = stats.groups.find((g) => g.label === '成员')?.entries ?? [];
    expect(members.find((m) => m.name === '王建国')?.note).toMatch(/^参加 1、请假 0、缺席 0，出勤率 100%/);
    expect(members.find((m) => m.name === '李明')?.note).toMatch(/^参加 1、请假 0、缺席 0，出勤率 100%/);
    expect(members.find((m) => m.name === '张丽')?.note).toMatch(/^参加 0、请假 0、缺席 1，出勤率 0%/);
  });

  it('should give a report duty no implied answer', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
    const card = await w.driver.card(1);
    expect(card.card.tally).toBe('已提交 0 · 未提交 6');
    expect((await snapshot(w.started, 1)).answers).toEqual([]);
  });

  it('should give none to an organizer outside the audience: a meeting campaign from a committee chat', async () => {
    await w.started.stop();
    w = await startWorld({ COMMITTEE_CHATS: 'sandbox:committee' });
    const sandbox = w.started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat({ id: 'committee', name: '机关工委' }, [{ id: 'w1', name: '周书记', platformRole: 'owner' }]);
    await w.started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'committee' }, '机关工委', undefined, 'group');
    await w.started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'branch-1' }, '第一党支部', undefined, 'group');
    const committee = new SandboxDriver(w.started, 'committee');
    expect(await committee.command('w1', '发起 会议 支部书记例会 12月3日下午3点 范围 第一党支部')).toContain('已在 1 个群发起「支部书记例会」');
    const card = await w.driver.card(1);
    expect(card.card.tally).toBe('参加 0 · 请假 0 · 未回复 6');
    expect((await snapshot(w.started, 1)).answers).toEqual([]);
  });
});
