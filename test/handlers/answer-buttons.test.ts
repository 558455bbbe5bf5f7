import type { ChatRef } from '../../src/domain/types';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { addOutsider, ask, dutyNo, groupNames, NOW, shanghai, snapshot, startWorld, type CardMessage, type World } from './support';

const BRANCH_2: ChatRef = { platform: 'sandbox', chatId: 'branch-2' };

describe('参加 / 请假 / 已提交 buttons on the card', () => {
  let w: World;
  let card: CardMessage;

  beforeEach(async () => {
    w = await startWorld();
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    card = await w.driver.card(1);
  });

  afterEach(async () => {
    await w.started.stop();
  });

  /** The card message as stored on the platform now. */
  async function stored(message: CardMessage): Promise<CardMessage> {
    const found = await w.started.bot.sandbox?.repo.get(message.id);
    if (!found?.card) throw new Error(`card message ${message.id} is gone`);
    return { ...found, card: found.card };
  }

  it('should record 参加 and answer the click with a toast and the updated card', async () => {
    const res = await w.driver.clickButton(card, 'u3', '参加');
    expect(res.status).toBe(200);
    expect(res.body.toast).toEqual({ kind: 'success', text: '已确认参加 #1' });
    // The organizer (u1 王建国) attends unless they answer otherwise (issue 17), so 张丽 is the second.
    expect(res.body.card?.tally).toBe('参加 2 · 请假 0 · 未回复 4');
    expect(res.body.card && groupNames(res.body.card, '参加')).toEqual(['王建国', '张丽']);
    expect((await stored(card)).card.tally).toBe('参加 2 · 请假 0 · 未回复 4');
    const duty = await dutyNo(w.started, 1);
    expect(Object.fromEntries(await w.started.bot.services.duties.answers(duty.id))).toEqual({
      u1: { memberId: 'u1', status: 'attending', at: NOW, implied: true },
      u3: { memberId: 'u3', status: 'attending', at: NOW },
    });
  });

  it('should record 请假 with the reason from the form and keep the change in history', async () => {
    await w.driver.clickButton(card, 'u2', '参加');
    const res = await w.driver.clickButton(card, 'u2', '请假', { reason: '  出差  ' });
    expect(res.body.toast).toEqual({ kind: 'success', text: '已请假 #1（出差）' });
    expect(res.body.card?.tally).toBe('参加 1 · 请假 1 · 未回复 4');
    expect(res.body.card && groupNames(res.body.card, '请假')).toEqual(['李明（出差）']);
    const duty = await dutyNo(w.started, 1);
    expect((await w.started.bot.services.duties.history(duty.id)).slice(1)).toEqual([
      { type: 'answer', at: NOW, by: 'u2', status: 'attending', previous: 'pending' },
      { type: 'answer', at: NOW, by: 'u2', status: 'leave', previous: 'attending', reason: '出差' },
    ]);
  });

  it('should answer a second identical click with an info toast and store nothing', async () => {
    await w.driver.clickButton(card, 'u2', '参加');
    const before = await snapshot(w.started, 1);
    const res = await w.driver.clickButton(card, 'u2', '参加');
    expect(res.body.toast).toEqual({ kind: 'info', text: '你已回复「参加」。' });
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it.each([
    ['no form', undefined],
    ['an empty reason', { reason: '' }],
    ['a reason of spaces', { reason: '   ' }],
  ])('should refuse 请假 with %s and store nothing', async (_label, form) => {
    const before = await snapshot(w.started, 1);
    const res = await w.driver.clickButton(card, 'u2', '请假', form);
    expect(res.body.toast).toEqual({ kind: 'warning', text: '请填写请假原因后再提交。' });
    expect(res.body.card?.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it('should refuse a click after the duty’s time has passed and show the closed card', async () => {
    w.clock.t = shanghai('2026-11-28T15:01');
    const before = await snapshot(w.started, 1);
    const res = await w.driver.clickButton(card, 'u2', '参加');
    expect(res.body.toast).toEqual({ kind: 'warning', text: '#1 已过时间，不能再更改回复。' });
    // Under way (15:00–17:00): not 已结束 yet, since 签到 is still open.
    expect(res.body.card?.banner).toBe('进行中');
    expect(res.body.card?.header.subtitle).toBe('#1 · 进行中');
    // No more 参加 / 请假; the meeting is under way, so its sign-in window (until the end, 17:00) keeps 签到 (issue 14).
    expect(res.body.card?.buttons.map((b) => b.label)).toEqual(['签到']);
    expect(await snapshot(w.started, 1)).toEqual(before);
    expect((await stored(card)).card.banner).toBe('进行中');
    w.clock.t = shanghai('2026-11-28T17:00');
    const after = await w.driver.clickButton(card, 'u2', '参加');
    expect(after.body.toast).toEqual({ kind: 'warning', text: '#1 已过时间，不能再更改回复。' });
    expect(after.body.card?.buttons).toEqual([]);
    expect(after.body.card?.banner).toBe('已结束');
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it('should refuse a click on the old card of a cancelled duty', async () => {
    await ask(w.driver, 'u1', '取消 #1');
    const before = await snapshot(w.started, 1);
    const res = await w.driver.click(card.id, 'u2', card.card.buttons[0]?.value);
    expect(res.body.toast).toEqual({ kind: 'warning', text: '#1 已取消，无需再回复。' });
    expect(res.body.card?.banner).toBe('已取消');
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it('should refuse a click by a member who joined the chat after the duty was created', async () => {
    await addOutsider(w.started);
    const before = await snapshot(w.started, 1);
    const res = await w.driver.clickButton(card, 'u7', '参加');
    expect(res.body.toast).toEqual({ kind: 'warning', text: '你不在 #1 的参与名单中，无需回复。' });
    expect(res.body.card?.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    expect(await snapshot(w.started, 1)).toEqual(before);
  });

  it('should refuse a click by someone who is not in the chat at all', async () => {
    const before = await snapshot(w.started, 1);
    const res = await w.driver.clickButton(card, 'u9', '参加');
    expect(res.status).toBe(404);
    expect(await snapshot(w.started, 1)).toEqual(before);
    // Only the organizer's implied answer (issue 17): u9's click stored nothing.
    expect((await snapshot(w.started, 1)).answers.map(([id]) => id)).toEqual(['u1']);
  });

  describe('a tampered card value', () => {
    const STALE = { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' };
    const NOT_HERE = { kind: 'error', text: '这个事项不存在或不属于本群。' };
    const cases: readonly [string, (dutyId: string) => unknown, { kind: string; text: string }][] = [
      ['a wrong act', (duty) => ({ v: 1, duty, act: 'delete' }), STALE],
      ['an extra field', (duty) => ({ v: 1, duty, act: 'attend', by: 'u1' }), STALE],
      ['another version', (duty) => ({ v: 2, duty, act: 'attend' }), STALE],
      ['a missing duty', () => ({ v: 1, act: 'attend' }), STALE],
      ['a bare string', () => 'attend', STALE],
      ['a duty id with capitals', (duty) => ({ v: 1, duty: duty.toUpperCase(), act: 'attend' }), STALE],
      ['an unknown duty id', () => ({ v: 1, duty: 'abcdefghijkl', act: 'attend' }), NOT_HERE],
      ['the act of another kind', (duty) => ({ v: 1, duty, act: 'submit' }), { kind: 'warning', text: '#1 是会议，请回复：参加、请假。' }],
    ];

    it.each(cases)('should refuse %s with a toast and store nothing', async (_label, value, toast) => {
      const duty = await dutyNo(w.started, 1);
      const before = await snapshot(w.started, 1);
      const res = await w.driver.click(card.id, 'u2', value(duty.id));
      expect(res.status).toBe(200);
      expect(res.body.toast).toEqual(toast);
      expect(await snapshot(w.started, 1)).toEqual(before);
      expect((await stored(card)).card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    });

    it('should refuse a duty from another chat and store nothing in either', async () => {
      await w.started.bot.sandbox?.repo.saveChat({ id: 'branch-2', name: '第二党支部' }, [
        { id: 'v1', name: '周海', platformRole: 'owner' },
        { id: 'u2', name: '李明', platformRole: 'member' },
      ]);
      const other = new SandboxDriver(w.started, 'branch-2');
      expect((await ask(other, 'v1', '会议 第二支部会议 明天下午3点')).reply).toBe('已发起 #1「第二支部会议」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：其他会议（按标题判断）；如需更改，发送「类别 #1 党课」。');
      const foreign = await dutyNo(w.started, 1, BRANCH_2);
      const [ours, theirs] = [await snapshot(w.started, 1), await snapshot(w.started, 1, BRANCH_2)];

      const res = await w.driver.click(card.id, 'u2', { v: 1, duty: foreign.id, act: 'attend' });
      expect(res.body.toast).toEqual(NOT_HERE);
      const crossed = await other.click(card.id, 'u2', card.card.buttons[0]?.value);
      expect(crossed.status).toBe(404);

      expect(await snapshot(w.started, 1)).toEqual(ours);
      expect(await snapshot(w.started, 1, BRANCH_2)).toEqual(theirs);
    });
  });

  it('should record 已提交 from the report card', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
    const report = await w.driver.card(2);
    const res = await w.driver.clickButton(report, 'u5', '已提交');
    expect(res.body.toast).toEqual({ kind: 'success', text: '已登记提交 #2' });
    expect(res.body.card?.tally).toBe('已提交 1 · 未提交 5');
    expect(res.body.card && groupNames(res.body.card, '已提交')).toEqual(['陈静']);
  });
});
