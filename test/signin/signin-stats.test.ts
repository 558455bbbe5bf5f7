/** Statistics of a meeting that used sign-in: attendance from the sign-ins, the RSVP kept as 报名 (console). */
import { namedPeriod } from '../../src/domain/stats-period';
import { eventually } from '../helpers/harness';
import { ask, CHAT, shanghai, startWorld, type World } from '../handlers/support';

describe('统计 with 签到', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it('should count who signed in as present, leave not come as 请假, the others absent, and keep 报名', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点');
    await ask(w.driver, 'u1', '会议 党小组会 今天下午4点');
    // RSVP: 李明 and 张丽 said 参加, 刘洋 asked leave; on #2 (no sign-in) the same.
    for (const n of [1, 2]) {
      await ask(w.driver, 'u2', `参加 #${n}`);
      await ask(w.driver, 'u3', `参加 #${n}`);
      await ask(w.driver, 'u4', `请假 #${n} 出差`);
    }
    w.clock.t = shanghai('2026-11-27T14:50');
    // 李明 came; 张丽 did not; 陈静 came without saying so; 刘洋 was on leave.
    await ask(w.driver, 'u2', '签到 #1');
    await ask(w.driver, 'u5', '签到 #1');
    w.clock.t = shanghai('2026-11-27T20:00');
    const id = await w.driver.say('u1', '@落实 统计 本月');
    const card = await eventually(
      async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === 'card' && m.card?.header.title.startsWith('【统计】')),
      5000,
      'the statistics card',
    );
    const notes = card.card?.groups[0]?.entries.map((e) => `${e.name}｜${e.note ?? ''}`);
    // The organizer 王建国 attends unless they answer otherwise (issue 17): 报名 on #1 (where only sign-in counts, and
    // he did not sign in: 缺席) and 参加 on #2.
    expect(notes).toEqual(['#1 支部委员会｜11月27日 15:00 · 实到 2 · 请假 1 · 缺席 3 · 报名 3', '#2 党小组会｜11月27日 16:00 · 参加 3 · 请假 1 · 未回复 2']);
    const report = await w.started.bot.services.stats.report(CHAT, namedPeriod('month', 0, w.clock.t, 'Asia/Shanghai'), w.clock.t);
    const rows = w.started.bot.services.stats.rows(report, 'Asia/Shanghai').filter((r) => r[1] === '#1 支部委员会').map((r) => `${r[4]}|${r[5]}`);
    expect(rows).toEqual(['陈静|参加', '李明|参加', '刘洋|请假', '王建国|缺席', '张丽|缺席', '赵磊|缺席']);
  });
});
