/**
 * Issue 12 (b): management commands written the way people write them, each doing exactly what its strict form
 * does: 把#7改到…, #7 推迟到…, 改时间, 取消#7, 取消 #21 #22, 撤销, 催一下#7, #7的统计 and the like.
 */
import { ask, CHAT, dutyNo, shanghai, startWorld, type World } from './support';

describe('free writing (b): managing duties in plain words', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
    await ask(w.driver, 'u1', '会议 支部委员会 12月5日下午3点');
    await ask(w.driver, 'u1', '学习 理论学习 12月8日上午9点');
    await ask(w.driver, 'u1', '会议 党小组会 12月9日下午3点');
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it.each([
    ['把#1改到下周三下午3点', '2026-12-02T15:00', '12月2日（周三）15:00'],
    ['#1 推迟到周五下午4点', '2026-11-27T16:00', '11月27日（周五）16:00'],
    ['#1 推迟到下周五', '2026-12-04T09:00', '12月4日（周五）09:00'],
    ['#1推迟到12月6日下午4点', '2026-12-06T16:00', '12月6日（周日）16:00'],
    ['改时间 #1 12月7日上午10点', '2026-12-07T10:00', '12月7日（周一）10:00'],
    ['改期#1到12月7日上午10点', '2026-12-07T10:00', '12月7日（周一）10:00'],
    ['把＃1的时间改为12月10日下午2点半', '2026-12-10T14:30', '12月10日（周四）14:30'],
  ])('should reschedule on「%s」', async (command, wall, shown) => {
    const { reply } = await ask(w.driver, 'u1', command);
    expect(reply).toBe(`📅 #1「支部委员会」改期：12月5日（周六）15:00 → ${shown}，提醒已重新安排。`);
    expect((await dutyNo(w.started, 1)).at).toBe(shanghai(wall));
  });

  it.each(['取消#2', '撤销 #2', '撤销#2', '#2取消', '把#2取消了', '取销 #2'])('should cancel on「%s」', async (command) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe('已取消 #2「理论学习」，提醒已撤销。');
    expect((await dutyNo(w.started, 2)).state).toBe('cancelled');
    expect((await dutyNo(w.started, 1)).state).toBe('scheduled');
  });

  it.each(['取消 #2 #3', '取消#2、#3', '取消 #2和#3', '撤销#2 #3'])('should cancel several on「%s」', async (command) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe('已取消 #2「理论学习」，提醒已撤销。\n已取消 #3「党小组会」，提醒已撤销。');
    expect((await w.started.bot.services.duties.listOpen(CHAT)).map((d) => d.number)).toEqual([1]);
  });

  it('should cancel the numbers it can and say which it cannot', async () => {
    expect((await ask(w.driver, 'u1', '取消 #2 #9')).reply).toBe('已取消 #2「理论学习」，提醒已撤销。\n本群没有 #9 这个事项。发送「列表」查看编号。');
  });

  it('should still refuse a cancel from a member who is not a secretary, however it is written', async () => {
    expect((await ask(w.driver, 'u2', '撤销#2')).reply).toBe('抱歉，只有本群的党务管理员可以取消事项。');
    expect((await ask(w.driver, 'u2', '取消 #2 #3')).reply).toBe('抱歉，只有本群的党务管理员可以取消事项。');
    expect((await w.started.bot.services.duties.listOpen(CHAT)).map((d) => d.number)).toEqual([1, 2, 3]);
  });

  it.each(['催一下#1', '催催 #1', '#1催一下', '催办一下#1'])('should nudge on「%s」', async (command) => {
    const strict = (await ask(w.driver, 'u1', '催办 #3')).reply;
    expect(strict).toContain('#3');
    const { reply } = await ask(w.driver, 'u1', command);
    expect(reply.replaceAll('#1', '#3').replace('支部委员会', '党小组会').replace('12月5日（周六）', '12月9日（周三）')).toBe(strict);
  });

  it.each(['#1的统计', '#1 统计', '#1谁没回复', '看看#1', '统计一下#1'])('should show the tally on「%s」', async (command) => {
    const strict = (await ask(w.driver, 'u4', '统计 #1')).reply;
    expect((await ask(w.driver, 'u4', command)).reply).toBe(strict);
  });

  it('should read 历史, answers and 提醒 in plain words', async () => {
    expect((await ask(w.driver, 'u2', '我参加#1')).reply).toBe((await ask(w.driver, 'u3', '参加 #1')).reply.replace('张丽', '李明'));
    expect((await ask(w.driver, 'u4', '#1请假，出差')).reply).toContain('刘洋');
    expect((await w.started.bot.services.duties.answers((await dutyNo(w.started, 1)).id)).get('u4')).toMatchObject({ status: 'leave', reason: '出差' });
    expect((await ask(w.driver, 'u1', '#1的历史')).reply).toBe((await ask(w.driver, 'u1', '历史 #1')).reply);
    expect((await ask(w.driver, 'u1', '#1的提醒改为提前2天')).reply).toBe('#1 将在提前2天提醒。');
  });

  it('should leave what is not a management command to the strict answers', async () => {
    expect((await ask(w.driver, 'u1', '取消 #1 支部委员会')).reply).toBe('请写上要取消的编号，例如：取消 #7');
    expect((await ask(w.driver, 'u1', '把#1改到火星')).reply).toBe('没看懂时间「火星」，例如：明天下午3点、12月5日14:30、下周二上午9点');
    expect((await w.started.bot.services.duties.listOpen(CHAT)).map((d) => d.at)).toEqual([shanghai('2026-12-05T15:00'), shanghai('2026-12-08T09:00'), shanghai('2026-12-09T15:00')]);
  });
});
