import { addOutsider, ask, cardWhere, dutyNo, groupNames, MINUTE, NOW, shanghai, snapshot, startWorld, type World } from './support';

describe('参加 / 请假 / 已提交 typed in the chat', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    await w.driver.card(1);
  });

  afterEach(async () => {
    await w.started.stop();
  });

  /** The organizer u1 attends their own meeting unless they answer otherwise (issue 17). */
  const IMPLIED = { u1: { memberId: 'u1', status: 'attending', at: NOW, implied: true } };

  async function answersOf(number: number): Promise<Record<string, unknown>> {
    return Object.fromEntries(await w.started.bot.services.duties.answers((await dutyNo(w.started, number)).id));
  }

  /** Say `command` as `sender`, expect `expected` as the reply and duty #n exactly as it was. */
  async function expectRefused(sender: string, command: string, expected: string, number = 1): Promise<void> {
    const before = await snapshot(w.started, number);
    expect((await ask(w.driver, sender, command)).reply).toBe(expected);
    expect(await snapshot(w.started, number)).toEqual(before);
  }

  it('should record 参加 #n typed and then update the card', async () => {
    expect((await ask(w.driver, 'u2', '参加 #1')).reply).toBe('李明：已确认参加 #1');
    expect(await answersOf(1)).toEqual({ ...IMPLIED, u2: { memberId: 'u2', status: 'attending', at: NOW } });
    const duty = await dutyNo(w.started, 1);
    expect((await w.started.bot.services.duties.history(duty.id)).at(-1)).toEqual({
      type: 'answer',
      at: NOW,
      by: 'u2',
      status: 'attending',
      previous: 'pending',
    });
    const card = (await cardWhere(w.driver, 1, (c) => c.tally === '参加 2 · 请假 0 · 未回复 4', 'the card after 参加')).card;
    expect(groupNames(card, '参加')).toEqual(['王建国', '李明']);
    expect(groupNames(card, '请假')).toEqual([]);
    expect(groupNames(card, '未回复')).toEqual(['张丽', '刘洋', '陈静', '赵磊']);
  });

  it('should accept 参加 written without # and glued to the number', async () => {
    expect((await ask(w.driver, 'u3', '参加1')).reply).toBe('张丽：已确认参加 #1');
    expect((await ask(w.driver, 'u4', '参加 ＃1')).reply).toBe('刘洋：已确认参加 #1');
    await cardWhere(w.driver, 1, (c) => c.tally === '参加 3 · 请假 0 · 未回复 3', 'the card with two attending and the organizer');
  });

  it('should keep both answers in history when 参加 changes to 请假 with a reason', async () => {
    await ask(w.driver, 'u2', '参加 #1');
    w.clock.advance(5 * MINUTE);
    expect((await ask(w.driver, 'u2', '请假 #1 外出 开会')).reply).toBe('李明：已请假 #1（外出 开会）');

    const duty = await dutyNo(w.started, 1);
    expect(await answersOf(1)).toEqual({ ...IMPLIED, u2: { memberId: 'u2', status: 'leave', reason: '外出 开会', at: NOW + 5 * MINUTE } });
    expect(await w.started.bot.services.duties.history(duty.id)).toEqual([
      { type: 'created', at: NOW, by: 'u1' },
      { type: 'answer', at: NOW, by: 'u2', status: 'attending', previous: 'pending' },
      { type: 'answer', at: NOW + 5 * MINUTE, by: 'u2', status: 'leave', previous: 'attending', reason: '外出 开会' },
    ]);
    const card = (await cardWhere(w.driver, 1, (c) => c.tally === '参加 1 · 请假 1 · 未回复 4', 'the card after 请假')).card;
    expect(groupNames(card, '请假')).toEqual(['李明（外出 开会）']);
    expect(groupNames(card, '参加')).toEqual(['王建国']);
  });

  it('should refuse 请假 typed without a reason', async () => {
    await expectRefused('u2', '请假 #1', '请假请说明原因，例如：请假 #1 外出开会');
  });

  it('should refuse a leave reason over 200 characters with the limit, never cutting it silently', async () => {
    await expectRefused('u2', `请假#1，${'因'.repeat(230)}`, '请假原因最多 200 字（这次写了 230 字），请精简后再发，回复没有更改。');
  });

  it('should refuse 已提交 on a meeting with a hint', async () => {
    await expectRefused('u2', '已提交 #1', '#1 是会议，请回复：参加、请假。');
    await expectRefused('u2', '提交 #1', '#1 是会议，请回复：参加、请假。');
  });

  it('should say so and change nothing when the same answer is given twice', async () => {
    await ask(w.driver, 'u2', '参加 #1');
    await expectRefused('u2', '参加 #1', '你已回复「参加」。');
    await ask(w.driver, 'u3', '请假 #1 出差');
    await expectRefused('u3', '请假 #1 出差', '你已回复「请假」。');
  });

  it('should refuse an answer without a number or for a number the chat does not have', async () => {
    await expectRefused('u2', '参加', '请写上事项编号，例如：参加 #7');
    await expectRefused('u2', '请假 外出开会', '请写上事项编号，例如：请假 #7 外出开会');
    await expectRefused('u2', '已提交', '请写上事项编号，例如：已提交 #7');
    await expectRefused('u2', '参加 #9', '本群没有 #9 这个事项。发送「列表」查看编号。');
  });

  it('should record 已提交 and 提交 on a report and refuse 参加 there', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
    expect((await ask(w.driver, 'u3', '已提交 #2')).reply).toBe('张丽：已登记提交 #2');
    expect((await ask(w.driver, 'u4', '提交 #2')).reply).toBe('刘洋：已登记提交 #2');
    await expectRefused('u5', '参加 #2', '#2 是报告，请回复：已提交。', 2);
    await expectRefused('u5', '请假 #2 出差', '#2 是报告，请回复：已提交。', 2);
    expect(Object.keys(await answersOf(2)).sort()).toEqual(['u3', 'u4']);
    const card = (await cardWhere(w.driver, 2, (c) => c.tally === '已提交 2 · 未提交 4', 'the report card after two submissions')).card;
    expect(groupNames(card, '已提交')).toEqual(['张丽', '刘洋']);
    expect(groupNames(card, '未提交')).toEqual(['王建国', '李明', '陈静', '赵磊']);
  });

  it('should refuse an answer typed after the duty’s time has passed', async () => {
    await ask(w.driver, 'u2', '参加 #1');
    w.clock.t = shanghai('2026-11-28T15:00');
    await expectRefused('u2', '请假 #1 临时有事', '#1 已过时间，不能再更改回复。');
    await expectRefused('u3', '参加 #1', '#1 已过时间，不能再更改回复。');
  });

  it('should refuse an answer typed for a cancelled duty', async () => {
    await ask(w.driver, 'u1', '取消 #1');
    await expectRefused('u2', '参加 #1', '#1 已取消，无需再回复。');
  });

  it('should refuse an answer typed by someone who joined the chat after the duty was created', async () => {
    await addOutsider(w.started);
    await expectRefused('u7', '参加 #1', '你不在 #1 的参与名单中，无需回复。');
    await ask(w.driver, 'u1', '会议 新成员见面会 明天下午4点');
    expect((await dutyNo(w.started, 2)).audience).toContain('u7');
    expect((await ask(w.driver, 'u7', '参加 #2')).reply).toBe('孙伟：已确认参加 #2');
    expect((await ask(w.driver, 'u2', '统计 #1')).reply).toContain('参加 1 · 请假 0 · 未回复 5');
  });
});
