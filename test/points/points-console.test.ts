import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import express from 'express';
import { createReports } from '../../src/http/reports';
import { shanghai } from '../handlers/support';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

/*
 * 积分 through the console, typed as a secretary and members type: a month of 第一党支部 (a meeting with sign-in,
 * a report, a meeting without sign-in, minutes on time and late), then each member's 积分 (the console has no
 * one-to-one messages, so the answer is in the group), the secretary's ranking, its signed page and workbook,
 * the refusals, and the operator's rules file (data/points.example.yaml) with its monthly cap.
 */

jest.setTimeout(60000);

const clock = new TestClock(shanghai('2026-11-02T09:00'));

interface World {
  started: StartedBot;
  driver: SandboxDriver;
  server: Server;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const reportsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started = await startBot({ clock: clock.now, env: { PUBLIC_BASE_URL: reportsUrl, DEFAULT_QUIET_HOURS: 'off', ...env } });
  app.use(createReports(started.bot.services, started.bot.reportLinks));
  return { started, driver: new SandboxDriver(started), server };
}

async function stop(w: World | undefined): Promise<void> {
  if (!w) return;
  await new Promise<void>((resolve) => w.server.close(() => resolve()));
  w.server.closeAllConnections();
  await w.started.stop();
}

/** November 2026 of 第一党支部 (王建国 u1 the secretary; 李明 u2, 张丽 u3, 刘洋 u4, 陈静 u5, 赵磊 u6). */
async function playNovember(d: SandboxDriver): Promise<void> {
  clock.t = shanghai('2026-11-02T09:00');
  await d.command('u1', '会议 支部委员会 11月3日下午3点 地点 三楼会议室');
  await d.command('u1', '述职 学习心得 截止 11月10日');
  await d.command('u1', '会议 党小组会 11月12日下午3点');
  await d.command('u4', '请假＃１ 家中有事');
  await d.command('u2', '已提交＃２');
  await d.command('u2', '参加 #3');
  await d.command('u3', '请假 #3 出差');
  clock.t = shanghai('2026-11-03T14:50');
  await d.command('u2', '签到＃１');
  await d.command('u1', '签到 #1');
  clock.t = shanghai('2026-11-03T15:15');
  await d.command('u3', '签到 #1');
  // Minutes of #1 the next day: before the first reminder (6 November 09:00), so on time.
  clock.t = shanghai('2026-11-04T10:00');
  await d.command('u1', '纪要 #1 传达学习了有关精神，讨论了本月工作安排。');
  // 张丽 submits after the deadline (10 November 18:00): kept, late.
  clock.t = shanghai('2026-11-11T10:00');
  await d.command('u3', '已提交 #2');
  // Minutes of #3 after its first reminder (17 November 09:00): no point.
  clock.t = shanghai('2026-11-20T10:00');
  await d.command('u1', '纪要 #3 讨论了党员发展工作。');
}

describe('积分 on the console', () => {
  let w: World | undefined;

  beforeAll(async () => {
    w = await world();
    await playNovember(w.driver);
  });

  afterAll(async () => {
    await stop(w);
  });

  const driver = (): SandboxDriver => {
    if (!w) throw new Error('no world');
    return w.driver;
  };

  it('should answer a member their own total and each entry naming its duty (本月 by default)', async () => {
    expect(await driver().command('u2', '积分')).toBe(
      [
        '🏅 李明 2026年11月积分：7 分',
        '· 11月3日 #1 支部委员会 · 签到 +2',
        '· 11月10日 #2 学习心得 · 报告按时 +3',
        '· 11月12日 #3 党小组会 · 报名参加（未使用签到） +2',
      ].join('\n'),
    );
    expect(await driver().command('u3', '我的积分')).toBe(
      ['🏅 张丽 2026年11月积分：2 分', '· 11月3日 #1 支部委员会 · 迟到 +1', '· 11月10日 #2 学习心得 · 报告逾期 +1', '· 11月12日 #3 党小组会 · 请假 0'].join('\n'),
    );
    // The recorder's minutes on time count; the late ones do not; a report not submitted loses points. The organizer
    // attends their own meeting unless they answer otherwise (issue 17): #3, without sign-in, counts as 报名参加.
    expect(await driver().command('u1', '积分 本月')).toBe(
      [
        '🏅 王建国 2026年11月积分：3 分',
        '· 11月3日 #1 支部委员会 · 签到 +2',
        '· 11月3日 #1 支部委员会 · 纪要按时 +1',
        '· 11月10日 #2 学习心得 · 报告未交 -2',
        '· 11月12日 #3 党小组会 · 报名参加（未使用签到） +2',
      ].join('\n'),
    );
    expect(await driver().command('u5', '积分')).toBe(
      ['🏅 陈静 2026年11月积分：-6 分', '· 11月3日 #1 支部委员会 · 缺席（未签到） -2', '· 11月10日 #2 学习心得 · 报告未交 -2', '· 11月12日 #3 党小组会 · 缺席（未报名） -2'].join('\n'),
    );
  });

  it('should read the period as a secretary types it: glued, with Chinese punctuation, a year alone', async () => {
    expect(await driver().command('u2', '积分：本季度')).toMatch(/^🏅 李明 2026年第四季度积分：7 分\n/);
    expect(await driver().command('u2', '积分本年')).toMatch(/^🏅 李明 2026年积分：7 分\n/);
    expect(await driver().command('u2', '我的积分 2026')).toMatch(/^🏅 李明 2026年积分：7 分\n/);
    expect(await driver().command('u2', '积分 11月1日至11月5日')).toBe('🏅 李明 2026年11月1日至2026年11月5日积分：2 分\n· 11月3日 #1 支部委员会 · 签到 +2');
    expect(await driver().command('u2', '积分 上月')).toBe('🏅 李明 2026年10月积分：0 分\n这段时间还没有计分的活动（会议、学习结束后或报告截止后计分）。');
  });

  it('should derive points from the records every time: a correction changes them at once', async () => {
    clock.t = shanghai('2026-11-20T11:00');
    expect(await driver().command('u1', '补签 #1 @陈静')).toContain('已补签');
    expect(await driver().command('u5', '积分')).toMatch(/^🏅 陈静 2026年11月积分：-2 分\n· 11月3日 #1 支部委员会 · 签到 \+2\n/);
    expect(await driver().command('u1', '撤销签到 #1 @陈静')).toContain('已撤销签到');
    expect(await driver().command('u5', '积分')).toMatch(/^🏅 陈静 2026年11月积分：-6 分\n/);
  });

  it('should answer an unknown period and a ranking asked by a member in Chinese', async () => {
    const bad = await driver().command('u2', '积分 明年后');
    expect(bad).toContain('没看懂时间范围「明年后」');
    expect(bad).toContain('例如：积分、积分 本季度、积分 本年');
    expect(await driver().command('u2', '积分 排行 本季度')).toBe('抱歉，只有本群的党务管理员可以查看积分排行。发送「积分」可查看你自己的积分。');
    expect(await driver().command('u2', '积分排行本季度')).toBe('抱歉，只有本群的党务管理员可以查看积分排行。发送「积分」可查看你自己的积分。');
  });

  it('should rank the chat for its secretary, with a signed page and workbook', async () => {
    const reply = await driver().command('u1', '积分排行本季度');
    const lines = reply.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      // 7 + 3 + 2 - 4 - 6 - 6 = -4 over 6 members (the organizer 王建国's #3 counts as 报名参加, issue 17).
      '🏅 第一党支部 2026年第四季度积分排行（6 人，人均 -0.7 分）',
      '1. 李明 7 分',
      '2. 王建国 3 分',
      '3. 张丽 2 分',
      '4. 刘洋 -4 分',
      '5. 陈静 -6 分',
      '6. 赵磊 -6 分',
    ]);
    const url = /明细与 Excel：(\S+)/.exec(reply)?.[1] ?? '';
    expect(url).toContain('/points?');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('第一党支部 · 2026年第四季度 积分');
    expect(html).toContain('<h2>李明：7 分</h2>');
    expect(html).toContain('#2 学习心得</td><td>述职</td><td>报告按时</td><td class="n">+3</td>');
    const xlsxHref = /href="\.\/(points\.xlsx\?[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const xlsx = await fetch(new URL(xlsxHref, url));
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const ranking = book.getWorksheet('排行');
    expect(ranking?.getRow(2).values).toEqual([undefined, 1, '李明', 7, 7, 3]);
    const entries = book.getWorksheet('明细');
    expect(entries?.getRow(2).values).toEqual([undefined, '李明', '2026年11月3日', '#1', '支部委员会', '支委会', '签到', 2]);
    // A link altered in any part is refused, in both forms, and shows nobody's points.
    const u = new URL(url);
    const altered = (change: (p: URLSearchParams) => void, path = u.pathname): string => {
      const out = new URL(u);
      out.pathname = path;
      change(out.searchParams);
      return out.href;
    };
    const bad = [
      altered((p) => p.set('sig', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')),
      altered((p) => p.set('to', String(Number(p.get('to')) + 86_400))),
      altered((p) => p.set('exp', String(Number(p.get('exp')) + 86_400))),
      altered(() => undefined, u.pathname.replace('branch-1', 'branch-2')),
    ];
    for (const href of bad) {
      for (const form of ['/points', '/points.xlsx']) {
        const res = await fetch(href.replace('/points?', `${form}?`));
        expect([href, form, res.status]).toEqual([href, form, 403]);
        expect(await res.text()).not.toContain('李明');
      }
    }
    // Past its expiry the link no longer opens.
    const saved = clock.t;
    clock.t = Number(u.searchParams.get('exp')) * 1000;
    expect((await fetch(url)).status).toBe(403);
    clock.t = saved;
  });

  it('should give a chat average per member for a committee view', async () => {
    const points = w?.started.bot.services.points;
    const period = { from: shanghai('2026-11-01T00:00'), to: shanghai('2026-11-30T23:59'), title: '2026年11月' };
    expect(await points?.chatAverage({ platform: 'sandbox', chatId: 'branch-1' }, period, clock.now())).toEqual({
      chat: { platform: 'sandbox', chatId: 'branch-1' },
      members: 6,
      total: -4,
      average: -0.7,
    });
  });
});

describe('积分 with the operator rules file', () => {
  let w: World | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'points-'));
    writeFileSync(join(dir, 'points.yaml'), '# 积分规则\n报告按时: 5\n每月上限: 6\n');
    w = await world({ DATA_DIR: dir });
    await playNovember(w.driver);
  });

  afterAll(async () => {
    await stop(w);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should use the file over the defaults and count a month for at most its cap', async () => {
    expect(await w?.driver.command('u2', '积分')).toBe(
      [
        '🏅 李明 2026年11月积分：6 分',
        '· 11月3日 #1 支部委员会 · 签到 +2',
        '· 11月10日 #2 学习心得 · 报告按时 +5',
        '· 11月12日 #3 党小组会 · 报名参加（未使用签到） +2',
        '（2026年11月合计 9 分，超过每月上限 6 分，按 6 分计）',
      ].join('\n'),
    );
  });
});
