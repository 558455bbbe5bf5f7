/** 签到 through the console (sandbox driver): text and button sign-ins, the window, codes, corrections, the jobs. */
import type { Duty } from '../../src/domain/types';
import { signinJobId } from '../../src/queue/signin-planner';
import { runFirstReminder } from '../helpers/follow-ups';
import { eventually, recordKeys } from '../helpers/harness';
import { plain } from '../helpers/sandbox-driver';
import { addOutsider, ask, CHAT, cardWhere, dutyNo, field, MINUTE, shanghai, startWorld, type World } from '../handlers/support';

/** Everything sign-in keeps about a duty, to compare before and after a refused input. */
async function signinState(w: World, duty: Duty) {
  const redis = w.started.bot.redis;
  const p = recordKeys(w.started.config).duty(duty.id);
  return {
    records: await redis.hgetall(`${p}:signins`),
    wrong: await redis.hgetall(`${p}:signin-wrong`),
    history: await w.started.bot.services.duties.history(duty.id),
  };
}

/** A meeting with its fields as the creation options (时长, 签到码 开) would set them, written through the store. */
async function meetingWith(w: World, fields: Partial<Duty>): Promise<Duty> {
  const duty = await w.started.bot.services.duties.create(
    {
      chat: CHAT,
      kind: 'meeting',
      label: '会议',
      title: '党小组会',
      at: shanghai('2026-11-27T15:00'),
      organizer: { id: 'u1', name: '王建国' },
      audience: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'],
      reminderOffsets: [],
      ...fields,
    },
    w.clock.now(),
  );
  await w.started.bot.services.outbox.announce(duty.id);
  return duty;
}

describe('签到 on the console', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it('should take 签到 by text in the window, say when it opens before, and mark 迟到 after 10 minutes', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点 地点 三楼会议室');
    const duty = await dutyNo(w.started, 1);
    const before = await signinState(w, duty);
    expect((await ask(w.driver, 'u2', '签到 #1')).reply).toBe('#1 还没到签到时间：14:30 开始签到（开始前30分钟）。'.replace('14:30', '11月27日（周五）14:30'));
    expect(await signinState(w, duty)).toEqual(before);

    w.clock.t = shanghai('2026-11-27T14:40');
    // As typed: no space, full-width ＃ and digits.
    expect((await ask(w.driver, 'u2', '签到＃１')).reply).toBe('李明：已签到 #1「支部委员会」，目前已签到 1 人。');
    expect((await ask(w.driver, 'u2', '签到 #1')).reply).toBe('李明：你已于 11月27日（周五）14:40 签到 #1，无需重复签到。');
    const card = await cardWhere(w.driver, 1, (c) => field(c, '签到') === '已签到 1 / 应到 6', 'the card to count the sign-in');
    expect(card.card.buttons.map((b) => b.label)).toEqual(['参加', '请假', '签到']);
    expect(card.card.footer).toContain('签到 #1');

    w.clock.t = shanghai('2026-11-27T15:11');
    const late = await cardWhere(w.driver, 1, (c) => c.buttons.some((b) => b.label === '签到'), 'the 签到 button');
    const res = await w.driver.clickButton(late, 'u3', '签到');
    expect(res.body.toast).toEqual({ kind: 'success', text: '已签到（迟到）' });
    // The shared card is refreshed by the sign-in's coalesced refresh, not replaced by the click's answer.
    expect(res.body.card).toBeUndefined();
    await cardWhere(w.driver, 1, (c) => field(c, '签到') === '已签到 2 / 应到 6', 'the card to count both sign-ins');

    const history = await w.started.bot.services.duties.history(duty.id);
    expect(history.filter((e) => e.type === 'signin')).toEqual([
      { type: 'signin', at: shanghai('2026-11-27T14:40'), by: 'u2', member: 'u2', how: 'text' },
      { type: 'signin', at: shanghai('2026-11-27T15:11'), by: 'u3', member: 'u3', how: 'button', late: true },
    ]);
    w.clock.t = shanghai('2026-11-27T17:00');
    expect((await ask(w.driver, 'u4', '签到 #1')).reply).toBe('#1 已结束（11月27日（周五）17:00），签到已关闭。如需补签请联系党务管理员。');
  });

  it('should refuse 签到 on a cancelled duty and by a non-member, storing nothing', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点');
    await ask(w.driver, 'u1', '会议 党小组会 今天下午4点');
    await ask(w.driver, 'u1', '取消 #2');
    await addOutsider(w.started);
    w.clock.t = shanghai('2026-11-27T15:00');
    const [one, two] = [await dutyNo(w.started, 1), await dutyNo(w.started, 2)];
    const before = [await signinState(w, one), await signinState(w, two)];
    expect((await ask(w.driver, 'u2', '签到 #2')).reply).toBe('#2 已取消，不能签到。');
    expect((await ask(w.driver, 'u7', '签到 #1')).reply).toBe('你不在 #1 的参会名单中，不能签到。如有疑问请联系党务管理员补签。');
    expect((await ask(w.driver, 'u2', '签到')).reply).toBe('请写上事项编号，例如：签到 #7（需要签到码时：签到 #7 4821）');
    expect([await signinState(w, one), await signinState(w, two)]).toEqual(before);
  });

  it('should ask for the code, count wrong codes and lock a member out after five', async () => {
    const duty = await meetingWith(w, { signinCode: true });
    w.clock.t = shanghai('2026-11-27T14:50');
    const code = await w.started.bot.services.signin.codeOf(duty);
    expect(code).toMatch(/^\d{4}$/);
    const wrong = code === '1111' ? '2222' : '1111';
    const before = await signinState(w, duty);
    expect((await ask(w.driver, 'u2', '签到 #1')).reply).toBe('#1 需要签到码：请回复「签到 #1 四位签到码」，签到码请向发起人索取。');
    expect((await ask(w.driver, 'u2', '签到 #1 12a4')).reply).toBe('签到码是4位数字，例如：签到 #1 4821');
    expect(await signinState(w, duty)).toEqual(before);
    for (let i = 1; i <= 4; i++) expect((await ask(w.driver, 'u2', `签到#1，${wrong}`)).reply).toBe(`签到码不对，还可以再试 ${5 - i} 次。`);
    expect((await ask(w.driver, 'u2', `签到 #1 ${wrong}`)).reply).toBe('签到码错误已达 5 次，本次会议不能再用签到码签到，请联系党务管理员补签。');
    expect((await ask(w.driver, 'u2', `签到 #1 ${code}`)).reply).toBe('签到码错误已达 5 次，本次会议不能再用签到码签到，请联系党务管理员补签。');
    expect((await signinState(w, duty)).records).toEqual({});
    // Full-width digits, as an input method types them.
    const wide = code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect((await ask(w.driver, 'u3', `签到 #1 ${wide}`)).reply).toBe('张丽：已签到 #1「党小组会」，目前已签到 1 人。');
    // The card asks for the code before its button sends the click.
    const card = await cardWhere(w.driver, 1, (c) => c.buttons.some((b) => b.label === '签到'), 'the 签到 button');
    expect(card.card.buttons.find((b) => b.label === '签到')?.reasonPrompt).toBe('请输入4位签到码');
    expect((await w.driver.clickButton(card, 'u4', '签到', { reason: wrong })).body.toast).toEqual({ kind: 'warning', text: '签到码不对，还可以再试 4 次。' });
    expect((await w.driver.clickButton(card, 'u4', '签到', { reason: code })).body.toast).toEqual({ kind: 'success', text: '已签到' });
    // A secretary can still 补签 the member locked out.
    expect((await ask(w.driver, 'u1', '补签 #1 @李明')).reply).toBe('已补签：#1 李明');
  });

  it('should let a secretary 补签, 缺席 and 撤销签到, each in the history with who did it', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点');
    await ask(w.driver, 'u4', '请假 #1 外出培训');
    const duty = await dutyNo(w.started, 1);
    w.clock.t = shanghai('2026-11-27T15:05');
    await ask(w.driver, 'u2', '签到 #1');
    const before = await signinState(w, duty);
    expect((await ask(w.driver, 'u3', '补签 #1 @刘洋')).reply).toBe('抱歉，只有本群的党务管理员可以补签、记缺席或撤销签到。');
    expect((await ask(w.driver, 'u1', '补签 #1 @王小二')).reply).toBe('王小二 不在本群，不能补签。');
    expect((await ask(w.driver, 'u1', '补签 #1')).reply).toBe('请 @ 要更正的人，例如：补签 #7 @张三');
    expect((await ask(w.driver, 'u1', '撤销签到 #1 @张丽')).reply).toBe('张丽 没有 #1 的签到记录，无需撤销。');
    expect(await signinState(w, duty)).toEqual(before);

    expect((await ask(w.driver, 'u1', '补签#1＠刘洋')).reply).toBe('已补签：#1 刘洋');
    expect((await ask(w.driver, 'u1', '缺席 #1 @陈静 无故未到')).reply).toBe('已记为缺席：#1 陈静（无故未到）');
    expect((await ask(w.driver, 'u1', '撤销签到 #1 @李明')).reply).toBe('已撤销签到：#1 李明');
    const corrections = (await w.started.bot.services.duties.history(duty.id)).filter((e) => e.type === 'signin-correction');
    expect(corrections).toEqual([
      { type: 'signin-correction', at: w.clock.t, by: 'u1', member: 'u4', action: 'present' },
      { type: 'signin-correction', at: w.clock.t, by: 'u1', member: 'u5', action: 'absent', reason: '无故未到' },
      { type: 'signin-correction', at: w.clock.t, by: 'u1', member: 'u2', action: 'revoke' },
    ]);
    const history = (await ask(w.driver, 'u1', '历史 #1')).reply;
    expect(history).toContain('王建国：补签 刘洋');
    expect(history).toContain('王建国：记为缺席 陈静（无故未到）');
    expect(history).toContain('王建国：撤销签到 李明');
    const a = await w.started.bot.services.signin.attendance(duty);
    expect(a.present.map((e) => e.name)).toEqual(['刘洋']);
    expect(a.absent.map((e) => e.name)).toEqual(['王建国', '李明', '张丽', '陈静', '赵磊']);
  });

  it('should plan the window jobs with the duty’s first reminder, move them when it is rescheduled and remove them when cancelled', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    const duty = await dutyNo(w.started, 1);
    const ids = async () => (await w.started.bot.queues.signin.getDelayed()).map((j) => j.id).sort();
    const at = shanghai('2026-11-28T15:00');
    // Not at creation: the meeting's first reminder adds them when it runs (src/queue/follow-up-window.ts).
    expect(await ids()).toEqual([]);
    await runFirstReminder(w.started.bot, duty.id);
    expect(await ids()).toEqual([signinJobId(duty.id, 'end', at + 120 * MINUTE), signinJobId(duty.id, 'open', at - 30 * MINUTE)]);
    // Planning again (as at every start) adds nothing.
    await w.started.bot.reconcile();
    expect(await ids()).toEqual([signinJobId(duty.id, 'end', at + 120 * MINUTE), signinJobId(duty.id, 'open', at - 30 * MINUTE)]);
    await ask(w.driver, 'u1', '改期 #1 明天下午4点');
    expect(await ids()).toEqual([]);
    await runFirstReminder(w.started.bot, duty.id);
    expect(await ids()).toEqual([signinJobId(duty.id, 'end', at + 180 * MINUTE), signinJobId(duty.id, 'open', at + 30 * MINUTE)]);
    await ask(w.driver, 'u1', '取消 #1');
    expect(await ids()).toEqual([]);
  });

  it('should post the attendance summary at the end and take the 签到 button off the card', async () => {
    // Real time: the end job is a BullMQ delayed job.
    const now = Date.now();
    w.clock.t = now;
    const duty = await meetingWith(w, { at: now - 120 * MINUTE + 3000, durationMinutes: 120, title: '主题党日' });
    await w.started.bot.services.duties.answer(duty.id, 'u4', 'leave', now - 200 * MINUTE, '外出培训');
    expect((await ask(w.driver, 'u2', '签到 #1')).reply).toBe('李明：已签到 #1「主题党日」（迟到），目前已签到 1 人。');
    await w.started.bot.services.planner.plan(duty, now);
    await cardWhere(w.driver, 1, (c) => c.buttons.some((b) => b.label === '签到'), 'the 签到 button');
    const summary = await eventually(
      async () => (await w.driver.messages()).find((m) => m.kind === 'text' && plain(m.text).startsWith('📋')),
      8000,
      'the attendance summary',
    );
    expect(plain(summary.text)).toBe(
      ['📋 #1「主题党日」签到结果：应到 6 · 实到 1 · 请假 1 · 缺席 4 · 迟到 1', '实到：李明（迟到）', '请假：刘洋（外出培训）', '缺席：王建国、张丽、陈静、赵磊'].join('\n'),
    );
    w.clock.t = Date.now();
    await cardWhere(w.driver, 1, (c) => !c.buttons.some((b) => b.label === '签到'), 'the card without its 签到 button');
  });
});
