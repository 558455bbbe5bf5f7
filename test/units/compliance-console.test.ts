/** 督查 on the console (issue 15): what a 党支部 owes, held, planned and misses this quarter. */
import { ask, CHAT, HOUR, MINUTE, startWorld, type World } from '../handlers/support';

const ORG = `units:
  - name: 市直机关工委
  - name: 第一党支部
    parent: 市直机关工委
    chat: sandbox:${CHAT.chatId}
`;

describe('督查 on the console', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(async () => {
    await w.started.stop();
  });

  it('should count a meeting held only once it ended with a sign-in and minutes, and one scheduled as planned', async () => {
    expect((await ask(w.driver, 'u2', '督查 本季度')).reply).toBe('本群还不是单位。登记：本群 第一党支部 上级 市财政局机关党委');
    await w.started.bot.services.units.importOrgFile(ORG, 'test', w.clock.now());
    // Friday 27 November 2026, 10:00: a 支委会 at 15:00, a 主题党日 at 16:00 (nobody signs in), a 党员大会 and a 党课 in December.
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点 地点 三楼会议室');
    await ask(w.driver, 'u1', '会议 主题党日 今天下午4点');
    await ask(w.driver, 'u1', '会议 支部党员大会 12月10日下午3点');
    await ask(w.driver, 'u1', '党课 学习二十大精神 12月5日上午9点');
    w.clock.advance(5 * HOUR + 10 * MINUTE);
    expect((await ask(w.driver, 'u2', '签到 #1')).reply).toContain('已签到 #1');
    w.clock.advance(3 * HOUR);
    // 18:10: #1 ended with a sign-in but no minutes yet; #2 ended with neither.
    const before = (await ask(w.driver, 'u3', '督查')).reply;
    expect(before).toContain('⚠️ 支委会（每月1次）：应 3 · 已开 0 · 计划 0 · 缺 3（另有 1 次已结束但缺签到或纪要）');
    await ask(w.driver, 'u1', '纪要 #1 传达学习了上级精神，研究了年底工作。');
    expect((await ask(w.driver, 'u3', '督查 本季度')).reply).toBe(
      [
        '督查 2026年第四季度 · 第一党支部（党支部）',
        '✅ 支部党员大会（每季度1次）：应 1 · 已开 0 · 计划 1 · 缺 0',
        '⚠️ 支委会（每月1次）：应 3 · 已开 1 · 计划 0 · 缺 2',
        '✅ 党课（每季度1次）：应 1 · 已开 0 · 计划 1 · 缺 0',
        '⚠️ 主题党日（每月1次）：应 3 · 已开 0 · 计划 0 · 缺 3（另有 1 次已结束但缺签到或纪要）',
        '共缺 5 次，请尽快安排。',
        '已开 = 已结束、有签到（或补签）且已交纪要；计划 = 已安排尚未结束。依据见「督查 依据」。',
      ].join('\n'),
    );
    // A secretary's attendance record (补签) counts as a sign-in: the 主题党日 with its minutes is held.
    expect((await ask(w.driver, 'u1', '补签 #2 @李明')).reply).toBe('已补签：#2 李明');
    await ask(w.driver, 'u1', '纪要 #2 参观了党史馆。');
    expect((await ask(w.driver, 'u3', '督查 本月')).reply).toContain('✅ 主题党日（每月1次）：应 1 · 已开 1 · 计划 0 · 缺 0');
    // 本年 adds the yearly rows; a month asks only the monthly ones.
    expect((await ask(w.driver, 'u3', '督查 本年')).reply).toContain('⚠️ 组织生活会（每年1次）：应 1 · 已开 0 · 计划 0 · 缺 1');
    expect((await ask(w.driver, 'u3', '督查 本月')).reply).toContain('✅ 支委会（每月1次）：应 1 · 已开 1 · 计划 0 · 缺 0');
    expect((await ask(w.driver, 'u3', '督查 明年')).reply).toBe('看不懂期间「明年」：可以写 本月、上月、本季度、上季度、本年、去年，例如「督查 本季度」。');
    expect((await ask(w.driver, 'u3', '督查 依据')).reply).toContain('• 支部党员大会：每季度至少1次（党支部）——《支部工作条例》第十九条');
  });
});
