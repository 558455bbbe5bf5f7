/**
 * Issue 12 (c): the first line of a notice, as a secretary copies it. Every example of the issue: the bot answers
 * with a preview saying what it understood and guessed, stores nothing, and its author's 确认 creates exactly that.
 */
import { recordKeys } from '../helpers/harness';
import { preview, previewLine } from './preview-support';
import { ask, CHAT, dutyNo, shanghai, startWorld, type World } from './support';

describe('free writing (c): notices in free sentences, previewed before creating', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it.each([
    [
      '明天下午3点在三楼会议室开支委会',
      '我理解为：【会议】支部委员会 · 11月28日（周六）15:00 · 三楼会议室 · 提前1天、提前1小时提醒\n（标题按「支委会」理解为支部委员会；类别：支委会）',
      { kind: 'meeting', label: '会议', title: '支部委员会', at: shanghai('2026-11-28T15:00'), place: '三楼会议室' },
    ],
    [
      '明天下午3点在三楼会议室召开支部委员会，请各位委员准时参加',
      '我理解为：【会议】支部委员会 · 11月28日（周六）15:00 · 三楼会议室 · 提前1天、提前1小时提醒\n（类别：支委会）',
      { kind: 'meeting', title: '支部委员会', at: shanghai('2026-11-28T15:00'), place: '三楼会议室' },
    ],
    [
      '请大家下周二上午9点到党员活动室参加理论学习中心组学习',
      '我理解为：【学习】理论学习中心组学习 · 12月1日（周二）09:00 · 党员活动室 · 提前1天、提前1小时提醒\n（类别：中心组学习）',
      { kind: 'study', label: '学习', title: '理论学习中心组学习', at: shanghai('2026-12-01T09:00'), place: '党员活动室' },
    ],
    [
      '12月20日前交述职报告',
      '我理解为：【述职】述职报告 · 截止 12月20日（周日）18:00 · 提前3天、提前1天、提前2小时提醒\n（类别：述职）',
      { kind: 'report', label: '述职', title: '述职报告', at: shanghai('2026-12-20T18:00') },
    ],
    [
      '本月底前提交2026年度述职报告',
      '我理解为：【述职】2026年度述职报告 · 截止 11月30日（周一）18:00 · 提前3天、提前1天、提前2小时提醒\n（类别：述职）',
      { kind: 'report', label: '述职', title: '2026年度述职报告', at: shanghai('2026-11-30T18:00') },
    ],
    [
      '下周三召开支部党员大会，地点四楼会议室',
      '我理解为：【会议】支部党员大会 · 12月2日（周三）09:00 · 四楼会议室 · 提前1天、提前1小时提醒\n（类别：支部党员大会）',
      { kind: 'meeting', title: '支部党员大会', at: shanghai('2026-12-02T09:00'), place: '四楼会议室' },
    ],
  ])('should preview「%s」and create it on 确认', async (notice, shown, expected) => {
    const card = (await preview(w.driver, 'u1', notice)).card;
    expect(previewLine(card)).toBe(shown);
    expect(card.buttons.map((b) => b.label)).toEqual(['发起', '取消']);
    expect(card.footer).toBe('30分钟内有效，只有发通知的人可以点；也可以回复「确认」或「取消」。');
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
    expect((await ask(w.driver, 'u1', '确认')).reply).toMatch(/^已发起 #1「/);
    expect(await dutyNo(w.started, 1)).toMatchObject({ ...expected, organizer: { id: 'u1' }, state: 'scheduled' });
    expect((await w.driver.card(1)).card.header.title).toBe(`【${(await dutyNo(w.started, 1)).label}】${expected.title}`);
  });

  it('should preview a recurring notice and create the series on 确认', async () => {
    const reply = previewLine((await preview(w.driver, 'u1', '每月最后一个工作日下午3点开支委会')).card);
    expect(reply.split('\n')[0]).toBe('我理解为：【会议】支部委员会 · 每月最后一个工作日 15:00 · 提前1天、提前1小时提醒');
    expect(reply).toContain('（标题按「支委会」理解为支部委员会；类别：支委会）');
    expect(await w.started.bot.services.seriesRepo.list(CHAT)).toEqual([]);
    expect((await ask(w.driver, 'u1', '确认')).reply).toContain('已建立 系列1「支部委员会」：每月最后一个工作日 15:00。');
  });

  it('should drop the preview on 取消 and let only its author confirm it', async () => {
    await preview(w.driver, 'u1', '明天下午3点在三楼会议室开支委会');
    expect((await ask(w.driver, 'u2', '确认')).reply).toBe('抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。');
    expect((await ask(w.driver, 'u1', '取消')).reply).toBe('好的，「支部委员会」没有发起。');
    expect((await ask(w.driver, 'u1', '确认')).reply).toBe('没有等你确认的事项（预览30分钟内有效）。请重新发送通知。');
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
  });

  it('should expire a preview after 30 minutes', async () => {
    await preview(w.driver, 'u1', '明天下午3点在三楼会议室开支委会');
    const key = recordKeys(w.started.config).chat(`sandbox:${CHAT.chatId}`, 'draft', 'u1');
    const ttl = await w.started.bot.redis.ttl(key);
    expect(ttl).toBeGreaterThan(29 * 60);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
  });

  it('should refuse a notice from a member who is not a secretary, storing no preview', async () => {
    expect((await ask(w.driver, 'u2', '明天下午3点在三楼会议室开支委会')).reply).toBe('抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。');
    expect(await w.started.bot.redis.exists(recordKeys(w.started.config).chat(`sandbox:${CHAT.chatId}`, 'draft', 'u2'))).toBe(0);
  });

  it('should create at once, without a preview, in a chat that set 直接发起 开', async () => {
    expect((await ask(w.driver, 'u2', '设置 直接发起 开')).reply).toBe('抱歉，只有本群的党务管理员可以修改设置。');
    expect((await ask(w.driver, 'u1', '设置 直接发起 开')).reply).toBe('已开启直接发起：像写通知一样写的事项不再预览，直接发起（请留意我的回复是否理解正确）。');
    expect((await ask(w.driver, 'u1', '明天下午3点在三楼会议室开支委会')).reply).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    expect(await dutyNo(w.started, 1)).toMatchObject({ title: '支部委员会', place: '三楼会议室' });
    expect((await ask(w.driver, 'u1', '设置 直接发起 关')).reply).toBe('已关闭直接发起：像写通知一样写的事项会先预览，回复「确认」后发起。');
    expect((await preview(w.driver, 'u1', '后天下午3点在三楼会议室开支委会')).card.header.title).toBe('我理解为：【会议】支部委员会');
  });

  it('should say a notice’s time is over, with the time it read, and store no preview', async () => {
    expect((await ask(w.driver, 'u1', '今天上午8点在三楼会议室开支委会')).reply).toBe('这个时间已经过去了（11月27日（周五）08:00），请换一个将来的时间。');
    expect(await w.started.bot.redis.exists(recordKeys(w.started.config).chat(`sandbox:${CHAT.chatId}`, 'draft', 'u1'))).toBe(0);
  });

  it('should say what it read of a message it cannot take, and the example closest to it', async () => {
    expect((await ask(w.driver, 'u1', '明天下午开支委会')).reply).toBe('「明天下午」是几点？例如：明天下午3点');
    expect((await ask(w.driver, 'u1', '明天')).reply).toBe('我读到了时间「明天」，但没看懂「明天」。发送「帮助」查看全部命令，例如：明天下午3点在三楼会议室开支委会');
    expect((await ask(w.driver, 'u1', '下周交述职报告')).reply).toBe('没看懂「下周交述职报告」。发送「帮助」查看全部命令，例如：12月20日前交述职报告');
    expect((await ask(w.driver, 'u1', '#7挪一挪')).reply).toBe('没看懂「#7挪一挪」。发送「帮助」查看全部命令，例如：把#7改到下周三下午3点');
  });

  it('should create exactly what the preview card shows when its author taps 发起, once', async () => {
    const message = await preview(w.driver, 'u1', '明天下午3点在三楼会议室开支委会');
    const other = await w.driver.clickButton(message, 'u2', '发起');
    expect(other.body.toast).toEqual({ kind: 'warning', text: '抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。' });
    const tap = await w.driver.clickButton(message, 'u1', '发起');
    expect(tap.body.toast).toEqual({ kind: 'success', text: '已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。' });
    expect(tap.body.card?.header).toEqual({ title: '我理解为：【会议】支部委员会', subtitle: '已发起 #1', color: 'grey' });
    expect(tap.body.card?.buttons).toEqual([]);
    expect(await dutyNo(w.started, 1)).toMatchObject({ title: '支部委员会', at: shanghai('2026-11-28T15:00'), place: '三楼会议室', organizer: { id: 'u1' } });
    expect((await w.driver.card(1)).card.header.title).toBe('【会议】支部委员会');
    const again = await w.driver.clickButton(message, 'u1', '发起');
    expect(again.body.toast?.kind).toBe('warning');
    expect((await w.started.bot.services.duties.listOpen(CHAT)).length).toBe(1);
  });

  it('should drop the preview on its 取消 button, and never let an older card take a newer preview', async () => {
    const older = await preview(w.driver, 'u1', '明天下午3点在三楼会议室开支委会');
    const newer = await preview(w.driver, 'u1', '后天上午9点在党员活动室开党小组会');
    expect((await w.driver.clickButton(older, 'u1', '发起')).body.toast?.kind).toBe('warning');
    const drop = await w.driver.clickButton(newer, 'u1', '取消');
    expect(drop.body.toast).toEqual({ kind: 'info', text: '好的，「党小组会」没有发起。' });
    expect(drop.body.card?.header.subtitle).toBe('已放弃');
    expect((await ask(w.driver, 'u1', '确认')).reply).toBe('没有等你确认的事项（预览30分钟内有效）。请重新发送通知。');
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
  });

  // A word the time grammar did not read never slips unseen into a title.
  it.each([
    ['会议 支部委员会 下午3点左右', '支部委员会 左右'],
    ['会议 支部委员会 大约明天下午3点', '支部委员会 大约'],
    ['会议 支部委员会 12月7日 开会', '支部委员会 开会'],
  ])('should preview「%s」naming the title it put together, and create nothing', async (command, title) => {
    const card = (await preview(w.driver, 'u1', command)).card;
    expect(previewLine(card)).toContain(`【会议】${title} · `);
    expect(previewLine(card)).toContain(`标题按剩下的文字理解为「${title}」`);
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
  });
});
