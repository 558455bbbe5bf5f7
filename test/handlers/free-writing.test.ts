/**
 * Issue 12 (a): commands typed as secretaries type them: without spaces, with Chinese punctuation, options glued
 * to their values, full-width digits and `＠`. Each creates exactly what the strict form would.
 */
import { eventually, recordKeys } from '../helpers/harness';
import { plain } from '../helpers/sandbox-driver';
import { preview, previewLine } from './preview-support';
import { ask, CHAT, DAY, dutyNo, HOUR, MINUTE, shanghai, startWorld, type World } from './support';

const TOMORROW_3PM = shanghai('2026-11-28T15:00');

describe('free writing (a): commands without spaces, with Chinese punctuation and glued options', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it.each([
    ['会议 支部委员会明天下午3点', undefined],
    ['会议 支部委员会，明天下午3点，地点：三楼会议室', '三楼会议室'],
    ['会议 支部委员会 明天下午3点 地点：三楼会议室', '三楼会议室'],
    ['会议 支部委员会 明天下午３点 地点：三楼会议室', '三楼会议室'],
    ['会议 支部委员会，时间：明天下午3点，地点三楼会议室。', '三楼会议室'],
  ])('should create the meeting of「%s」at once', async (command, place) => {
    const { reply } = await ask(w.driver, 'u1', command);
    expect(reply).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    const duty = await dutyNo(w.started, 1);
    expect(duty).toMatchObject({ kind: 'meeting', label: '会议', title: '支部委员会', at: TOMORROW_3PM, reminderOffsets: [DAY / MINUTE, HOUR / MINUTE] });
    expect(duty.place).toBe(place);
    expect((await w.driver.card(1)).card.header.title).toBe('【会议】支部委员会');
  });

  it.each([
    ['会议支部委员会明天下午3点地点三楼会议室', ' · 三楼会议室'],
    ['会议：支部委员会；时间：明天下午3点；地点：三楼会议室。', ' · 三楼会议室'],
    ['会议「支部委员会」明天下午3点', ''],
  ])('should preview「%s」(no space after the command word) and create it on 确认', async (command, place) => {
    expect(previewLine((await preview(w.driver, 'u1', command)).card)).toBe(`我理解为：【会议】支部委员会 · 11月28日（周六）15:00${place} · 提前1天、提前1小时提醒`);
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
    expect((await ask(w.driver, 'u1', '确认')).reply).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    expect(await dutyNo(w.started, 1)).toMatchObject({ title: '支部委员会', at: TOMORROW_3PM, ...(place ? { place: '三楼会议室' } : {}) });
    expect((await ask(w.driver, 'u1', '确认')).reply).toBe('没有等你确认的事项（预览30分钟内有效）。请重新发送通知。');
  });

  it('should read 提醒 glued to its value with a colon, and a list with 、', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点 提醒：提前1天');
    expect((await dutyNo(w.started, 1)).reminderOffsets).toEqual([DAY / MINUTE]);
    await ask(w.driver, 'u1', '学习 理论学习中心组，下周二上午9点，地点：党员活动室，提醒：提前1天、提前2小时');
    expect(await dutyNo(w.started, 2)).toMatchObject({
      kind: 'study',
      title: '理论学习中心组',
      at: shanghai('2026-12-01T09:00'),
      place: '党员活动室',
      reminderOffsets: [DAY / MINUTE, (2 * HOUR) / MINUTE],
    });
  });

  it('should read a report with 截止： glued and a year in its title', async () => {
    const { reply } = await ask(w.driver, 'u1', '述职 2026年度述职报告，截止：12月20日');
    expect(reply).toContain('已发起 #1「2026年度述职报告」，截止 12月20日（周日）18:00');
    expect(await dutyNo(w.started, 1)).toMatchObject({ kind: 'report', label: '述职', at: shanghai('2026-12-20T18:00') });
  });

  it('should take a message addressed with the full-width ＠ and full-width ＃ numbers', async () => {
    const id = await w.driver.say('u1', '＠落实 会议 支部委员会，明天下午3点');
    const reply = await eventually(async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === 'text'), 5000, 'a reply');
    expect(plain(reply.text)).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    expect((await ask(w.driver, 'u1', '取消 ＃１')).reply).toBe('已取消 #1「支部委员会」，提醒已撤销。');
  });

  it('should keep refusing what it cannot read, with the strict answer and nothing created', async () => {
    expect((await ask(w.driver, 'u1', '会议 支部委员会 13月5日')).reply).toBe('没有这一天：13月5日');
    expect((await ask(w.driver, 'u1', '会议 支部委员会，改天再说')).reply).toBe('请写上时间，例如：会议 支部委员会 明天下午3点 地点 三楼会议室');
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
  });

  it('should plan a time of day to the minute, whatever the seconds of the clock (no reminders at :53)', async () => {
    w.clock.t += 53_250;
    await ask(w.driver, 'u1', '会议 支部委员会 下午3点');
    const duty = await dutyNo(w.started, 1);
    expect(duty.at).toBe(shanghai('2026-11-27T15:00'));
    expect(duty.at % MINUTE).toBe(0);
  });

  it('should warn when a duty or series has the title of another on the same day, naming it', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    expect((await ask(w.driver, 'u1', '会议 支部委员会 明天晚上7点')).reply).toBe(
      '已发起 #2「支部委员会」，时间 11月28日（周六）19:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #2 党课」。\n⚠️ 与 #1 同名同日；如是重复请「取消 #1」',
    );
    expect((await ask(w.driver, 'u1', '会议 支部委员会 12月10日下午3点')).reply).not.toContain('同名');
    await ask(w.driver, 'u1', '学习 理论学习 每周一上午9点');
    expect((await ask(w.driver, 'u1', '学习 理论学习 每周三上午9点')).reply).toContain('\n⚠️ 与 系列1 同名；如是重复请「停止 系列1」');
  });

  it('should take members mentioned with the full-width ＠ in the console', async () => {
    const id = await w.driver.say('u1', '＠落实 设置管理员 ＠李明');
    const reply = await eventually(async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === 'text'), 5000, 'a reply');
    expect(plain(reply.text)).toBe('已设置党务管理员：李明');
    expect(await w.started.bot.services.chats.secretaries(CHAT)).toContain('u2');
  });

  it('should read again only the command its strict word names, keeping that command’s answer otherwise', async () => {
    const { reply } = await ask(w.driver, 'u1', '时间 明天下午3点开支委会');
    expect(reply).toBe('没看懂时间「明天下午3点开支委会」：读到了 明天下午3点，「开支委会」没看懂，例如：明天下午3点');
    expect(await w.started.bot.redis.exists(recordKeys(w.started.config).chat(`sandbox:${CHAT.chatId}`, 'draft', 'u1'))).toBe(0);
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
  });
});
