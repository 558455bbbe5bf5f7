/**
 * Issue 14, meeting options and categories, through the console as a secretary types them: 时长, 主持人, 记录人,
 * 议题, 类别, 签到码 开, 需附件 with or without spaces, with Chinese punctuation and full-width characters; the
 * category read from the title; 类别 #n <类别>; a template item's category. Bad input: a clear answer, nothing stored.
 */
import { eventually } from '../helpers/harness';
import { preview } from './preview-support';
import { ask, CHAT, dutyNo, field, shanghai, snapshot, startWorld, type CardMessage, type World } from './support';

const KNOWN = '可选的类别：支委会、党小组会、支部党员大会、主题党日、组织生活会、民主评议、党课、中心组学习、青年理论学习小组、述职、其他会议、其他学习、其他报告';

describe('meeting options and categories (issue 14)', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  const open = async (): Promise<number> => (await w.started.bot.services.duties.listOpen(CHAT)).length;

  it.each([
    ['spaced', '会议 支部委员会 明天下午3点 时长 1.5小时 主持人 @张丽 记录人 @刘洋 议题 研究发展党员工作 类别 支委会 签到码 开'],
    ['without spaces, full-width', '会议 支部委员会明天下午３点时长１．５小时主持人＠张丽记录人＠刘洋议题研究发展党员工作类别支委会签到码开'],
    ['with Chinese punctuation', '会议 支部委员会，明天下午3点，时长：90分钟，主持人：＠张丽，记录人：@刘洋，议题：研究发展党员工作，类别：支委会，签到码：开'],
  ])('should store every option of a meeting typed %s and show them on its card', async (_how, command) => {
    const { reply } = await ask(w.driver, 'u1', command);
    expect(reply).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。');
    expect(await dutyNo(w.started, 1)).toMatchObject({
      title: '支部委员会',
      at: shanghai('2026-11-28T15:00'),
      category: '支委会',
      durationMinutes: 90,
      host: { id: 'u3', name: '张丽' },
      recorder: { id: 'u4', name: '刘洋' },
      agenda: '研究发展党员工作',
      signinCode: true,
    });
    const { card } = await w.driver.card(1);
    expect(field(card, '时长')).toBe('1小时30分钟（至 16:30）');
    expect(field(card, '主持人')).toBe('张丽');
    expect(field(card, '记录人')).toBe('刘洋');
    expect(field(card, '议题')).toBe('研究发展党员工作');
    expect(field(card, '类别')).toBe('支委会');
  });

  it('should preview a notice written with its options glued, show them, and create them on 确认', async () => {
    const { card } = await preview(w.driver, 'u1', '明天下午3点在三楼会议室开支委会，时长两小时，主持人＠张丽，议题：研究发展党员工作');
    expect(field(card, '时长')).toBe('2小时');
    expect(field(card, '主持人')).toBe('张丽');
    expect(field(card, '议题')).toBe('研究发展党员工作');
    expect(field(card, '我猜的')).toContain('类别：支委会');
    expect(await open()).toBe(0);
    await ask(w.driver, 'u1', '确认');
    expect(await dutyNo(w.started, 1)).toMatchObject({ durationMinutes: 120, host: { id: 'u3', name: '张丽' }, agenda: '研究发展党员工作', category: '支委会' });
  });

  it('should default 时长 and 记录人: two hours and the organizer, nothing stored for them', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    const duty = await dutyNo(w.started, 1);
    expect(duty.durationMinutes).toBeUndefined();
    expect(duty.recorder).toBeUndefined();
    expect(field((await w.driver.card(1)).card, '时长')).toBeUndefined();
  });

  it('should mark a report 需附件, typed plainly or glued after the deadline', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日 需附件');
    expect(await dutyNo(w.started, 1)).toMatchObject({ kind: 'report', needsFile: true, category: '述职' });
    await ask(w.driver, 'u1', '报告 党建工作总结 截止12月21日，需附件');
    expect(await dutyNo(w.started, 2)).toMatchObject({ kind: 'report', needsFile: true, category: '其他报告' });
  });

  it('should take a given category and not say it was read from the title', async () => {
    const { reply } = await ask(w.driver, 'u1', '学习 学习二十大精神 下周二上午9点 类别：党课');
    expect(reply).toBe('已发起 #1「学习二十大精神」，时间 12月1日（周二）09:00；将在提前1天、提前1小时提醒。');
    expect((await dutyNo(w.started, 1)).category).toBe('党课');
  });

  it('should say the category read from the title and how to change it', async () => {
    const { reply } = await ask(w.driver, 'u1', '会议 读书分享会 明天下午3点');
    expect(reply.split('\n')[1]).toBe('类别：其他会议（按标题判断）；如需更改，发送「类别 #1 党课」。');
    expect((await dutyNo(w.started, 1)).category).toBe('其他会议');
  });

  it.each([
    ['会议 支部委员会 明天下午3点 类别 党委会', `没有「党委会」这个类别。${KNOWN}。例如：类别 党课`],
    ['会议支部委员会明天下午3点类别：党委会', `没有「党委会」这个类别。${KNOWN}。例如：类别 党课`],
    ['会议 支部委员会 明天下午3点 时长 三天', '没看懂时长「三天」，例如：时长 1.5小时、时长 90分钟'],
    ['会议 支部委员会 明天下午3点 时长 30小时', '时长「30小时」超出范围：要在5分钟到24小时之间，例如：时长 1.5小时、时长 90分钟'],
    ['会议 支部委员会 明天下午3点 主持人 张丽', '请用 @ 选出主持人（要是本群的成员），例如：主持人 @张三'],
    ['会议 支部委员会 明天下午3点 主持人 @张丽 @刘洋', '「主持人」只写一位，例如：主持人 @张三'],
    ['会议 支部委员会 明天下午3点 签到码 也许', '「签到码」后面写「开」或「关」，例如：签到码 开'],
    ['会议 支部委员会 明天下午3点 需附件', '「需附件」只用于述职、报告、材料类事项：提交时要附上文件。'],
    ['述职 述职报告 截止 12月20日 时长 2小时', '「时长」只用于会议和学习，述职、报告类事项不用写。'],
  ])('should refuse「%s」with a clear answer and create nothing', async (command, answer) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe(answer);
    expect(await open()).toBe(0);
  });

  describe('类别 #n <类别>', () => {
    beforeEach(async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    });

    it('should change the category, record who did it and refresh the card', async () => {
      expect((await ask(w.driver, 'u1', '类别 #1 党课')).reply).toBe('#1「支部委员会」的类别：支委会 → 党课。');
      expect((await dutyNo(w.started, 1)).category).toBe('党课');
      const history = await w.started.bot.services.duties.history((await dutyNo(w.started, 1)).id);
      expect(history.at(-1)).toMatchObject({ type: 'category', by: 'u1', from: '支委会', to: '党课' });
      await expectCard(w, 1, (c) => field(c.card, '类别') === '党课');
      expect((await ask(w.driver, 'u1', '历史 #1')).reply).toContain('王建国：类别 支委会 → 党课');
    });

    it.each(['类别#1党课', '类别＃１，党课', '类别 ＃1：党课', '类别 1 党课', '把#1的类别改为党课', '＃１类别：党课', '类别：#1 党课'])('should read「%s」', async (command) => {
      expect((await ask(w.driver, 'u1', command)).reply).toBe('#1「支部委员会」的类别：支委会 → 党课。');
    });

    it('should say the category when none is given', async () => {
      expect((await ask(w.driver, 'u2', '类别 #1')).reply).toBe('#1「支部委员会」的类别是「支委会」。如需更改，发送「类别 #1 党课」。');
    });

    it.each([
      ['u1', '类别 #1 党委会', `没有「党委会」这个类别。${KNOWN}。例如：类别 #7 党课`],
      ['u1', '类别', '请写上编号和类别，例如：类别 #7 党课'],
      ['u1', '类别 党课', '请写上编号和类别，例如：类别 #7 党课'],
      ['u1', '类别 #9 党课', '本群没有 #9 这个事项。发送「列表」查看编号。'],
      ['u1', '类别 #1 支委会', '#1「支部委员会」的类别已经是「支委会」。'],
      ['u2', '类别 #1 党课', '抱歉，只有本群的党务管理员或事项的发起人可以修改类别。'],
    ])('should answer %s「%s」clearly and change nothing', async (sender, command, answer) => {
      const before = await snapshot(w.started, 1);
      expect((await ask(w.driver, sender, command)).reply).toBe(answer);
      expect(await snapshot(w.started, 1)).toEqual(before);
    });
  });

  it('should give a series its options and each of its duties the same', async () => {
    const { reply } = await ask(w.driver, 'u1', '学习 读书会 每月最后一个工作日 15:00 时长 1小时 类别 青年理论学习小组 主持人 @张丽');
    expect(reply).toContain('已建立 系列1「读书会」');
    expect(reply).not.toContain('按标题判断');
    const [series] = await w.started.bot.services.seriesRepo.list(CHAT);
    expect(series).toMatchObject({ durationMinutes: 60, category: '青年理论学习小组', host: { id: 'u3', name: '张丽' } });
    w.clock.t = shanghai('2026-11-28T16:00');
    const [first] = await w.started.bot.services.seriesService.materialize(series?.id ?? '', w.clock.now());
    expect(first).toMatchObject({ title: '读书会', durationMinutes: 60, category: '青年理论学习小组', host: { id: 'u3', name: '张丽' } });
  });

  it('should file the series of a template under the category of its item, and their duties too', async () => {
    await ask(w.driver, 'u1', '启用 三会一课');
    const series = await w.started.bot.services.seriesRepo.list(CHAT);
    expect(series.map((s) => [s.title, s.category])).toEqual([
      ['支部委员会', '支委会'],
      ['党小组会', '党小组会'],
      ['支部党员大会', '支部党员大会'],
      ['党课', '党课'],
    ]);
    // The series worker creates 支部委员会 (每月第一个工作日, 12月1日) two days ahead.
    w.clock.t = shanghai('2026-11-29T16:00');
    const [first] = await w.started.bot.services.seriesService.materialize(series[0]?.id ?? '', w.clock.now());
    expect(first).toMatchObject({ title: '支部委员会', category: '支委会', seriesId: series[0]?.id });
  });
});

async function expectCard(w: World, n: number, ok: (m: CardMessage) => boolean): Promise<void> {
  await eventually(async () => (await w.driver.cardsOf(n)).find(ok), 5000, `a card of #${n} as expected`);
}
