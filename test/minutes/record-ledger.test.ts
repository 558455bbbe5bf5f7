import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import express from 'express';
import { createReports } from '../../src/http/reports';
import { shanghai } from '../handlers/support';
import { runFirstReminder } from '../helpers/follow-ups';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

/*
 * 纪要, 记录 and 台账 through the console: commands typed as a secretary types them, then the signed record page,
 * the ledger page and its workbook fetched over HTTP; refusals answered in Chinese with nothing stored; the
 * reminders of missing minutes planned as delayed jobs, sent by the worker, and dropped when minutes arrive.
 */

jest.setTimeout(60000);

let started: StartedBot;
let driver: SandboxDriver;
let server: Server;
const clock = new TestClock(shanghai('2026-12-01T10:00'));

beforeAll(async () => {
  const app = express();
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const reportsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  started = await startBot({ clock: clock.now, env: { PUBLIC_BASE_URL: reportsUrl, DEFAULT_QUIET_HOURS: 'off' } });
  app.use(createReports(started.bot.services, started.bot.reportLinks));
  driver = new SandboxDriver(started);
  // #1 a meeting on Thursday 3 December, 15:00-17:00, answered by two members.
  await driver.command('u1', '会议 支部委员会 12月3日下午3点 地点 三楼会议室');
  await driver.command('u2', '参加＃１');
  await driver.command('u3', '请假 #1 外出培训');
  // #2 a study session the same month, cancelled.
  await driver.command('u1', '学习 理论学习 12月4日上午9点');
  await driver.command('u1', '取消 #2');
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await started?.stop();
});

const duty = async (n: number) => {
  const d = await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, n);
  if (!d) throw new Error(`no #${n}`);
  return d;
};
const minutesEntries = async (n: number) => (await started.bot.services.duties.history((await duty(n)).id)).filter((e) => e.type === 'minutes');
const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';

describe('纪要 refusals', () => {
  it('should refuse minutes from an ordinary member and store nothing', async () => {
    const reply = await driver.command('u4', '纪要 #1 会议决定……');
    expect(reply).toContain('只有记录人（王建国）、发起人或书记可以写 #1 的纪要');
    expect(await started.bot.services.minutes.get((await duty(1)).id)).toBeUndefined();
    expect(await minutesEntries(1)).toEqual([]);
  });

  it('should answer an unknown duty, a missing text and a cancelled duty in Chinese, storing nothing', async () => {
    expect(await driver.command('u1', '纪要 #99 内容')).toContain('本群没有 #99 这个事项');
    expect(await driver.command('u1', '纪要 #1')).toContain('请在编号后写上纪要内容');
    expect(await driver.command('u1', '纪要')).toContain('请写上编号和纪要内容');
    expect(await driver.command('u1', '纪要 #2 内容')).toContain('#2「理论学习」已取消，不能写纪要');
    expect(await minutesEntries(1)).toEqual([]);
    expect(await minutesEntries(2)).toEqual([]);
  });
});

describe('the reminders of missing minutes', () => {
  it('should plan four delayed jobs on working days after the meeting, the last for the secretaries', async () => {
    const d = await duty(1);
    // Added by the meeting's first reminder when it runs, not at creation (src/queue/follow-up-window.ts).
    await runFirstReminder(started.bot, d.id);
    const end = shanghai('2026-12-03T17:00');
    const queue = started.bot.services.minutesPlanner;
    const points = queue.points(d);
    expect(points.map((p) => [p.to, p.dueAt])).toEqual([
      // Three working days after Thursday 3 December: Fri 4, Mon 7, Tue 8.
      ['recorder', shanghai('2026-12-08T09:00')],
      ['recorder', shanghai('2026-12-09T09:00')],
      ['recorder', shanghai('2026-12-10T09:00')],
      ['secretaries', shanghai('2026-12-11T09:00')],
    ]);
    expect(points.map((p) => p.jobId)).toEqual([1, 2, 3, 4].map((s) => `min-${d.id}-${end}-${s}`));
    const jobs = await Promise.all(points.map((p) => started.bot.queues.minutes.getJob(p.jobId)));
    expect(await Promise.all(jobs.map((j) => j?.getState()))).toEqual(['delayed', 'delayed', 'delayed', 'delayed']);
    // The cancelled study session has none left.
    const cancelled = queue.points(await duty(2));
    expect(await Promise.all(cancelled.map((p) => started.bot.queues.minutes.getJob(p.jobId)))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('should remind the recorder in the chat when the job comes due', async () => {
    const d = await duty(1);
    const first = started.bot.services.minutesPlanner.points(d)[0];
    clock.t = first?.dueAt ?? 0;
    await (await started.bot.queues.minutes.getJob(first?.jobId ?? ''))?.promote();
    const reminder = await eventually(async () => (await driver.messages()).find((m) => m.kind === 'text' && plain(m.text).includes('还没有纪要')), 8000, 'the minutes reminder');
    expect(plain(reminder.text)).toContain('@王建国 📝 #1「支部委员会」');
    expect(plain(reminder.text)).toContain('请发送「纪要 #1 <会议记录>」');
  });
});

describe('纪要 by the recorder', () => {
  it('should store the minutes, drop the remaining reminders, and keep both versions when replaced', async () => {
    const first = await driver.command('u1', '纪要＃１：传达了上级精神，讨论了发展党员工作。');
    expect(first).toContain('已保存 #1「支部委员会」的纪要（18 字）');
    const d = await duty(1);
    const states = await Promise.all(started.bot.services.minutesPlanner.points(d).slice(1).map(async (p) => (await started.bot.queues.minutes.getJob(p.jobId))?.getState()));
    expect(states).toEqual([undefined, undefined, undefined]);
    // The console folds line breaks into spaces (src/platforms/sandbox/decode.ts commandText).
    const second = await driver.command('u1', '纪要 #1 传达了上级精神。 决定：下月召开组织生活会。');
    expect(second).toContain('已替换之前的纪要');
    expect((await minutesEntries(1)).map((e) => (e.type === 'minutes' ? [e.text, e.replaced] : []))).toEqual([
      ['传达了上级精神，讨论了发展党员工作。', false],
      ['传达了上级精神。 决定：下月召开组织生活会。', true],
    ]);
    expect(await driver.command('u1', '历史 #1')).toContain('更新纪要');
  });
});

describe('记录 #1', () => {
  it('should answer a signed link to a printable record page with the attendance and the minutes', async () => {
    clock.t = shanghai('2026-12-12T10:00');
    const reply = await driver.command('u2', '记录#1');
    expect(reply).toContain('#1「支部委员会」的会议记录');
    const res = await fetch(linkIn(reply));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h1>支部委员会 记录</h1>');
    expect(html).toContain('<tr><th>类别</th><td>支委会</td></tr>');
    expect(html).toContain('<tr><th>地点</th><td>三楼会议室</td></tr>');
    expect(html).toContain('<tr><th>记录人</th><td>王建国</td></tr>');
    expect(html).toContain('2026-12-03 15:00 至 17:00');
    expect(html).toContain('<tr><th>应到 6 人</th>');
    // The organizer 王建国 attends unless they answer otherwise (issue 17).
    expect(html).toContain('<tr><th>实到 2 人</th><td>王建国、李明</td></tr>');
    expect(html).toContain('<tr><th>请假 1 人</th><td>张丽（外出培训）</td></tr>');
    expect(html).toContain('<tr><th>缺席 3 人</th><td>刘洋、陈静、赵磊</td></tr>');
    expect(html).toContain('<div class="minutes">传达了上级精神。 决定：下月召开组织生活会。</div>');
    expect(html).toContain('@page{size:A4');
    expect(html).toMatch(/<h2>材料<\/h2>\s*<p class="none">无<\/p>/);
  });

  it('should refuse an altered record link with 403 and answer an unknown duty in Chinese', async () => {
    const url = new URL(linkIn(await driver.command('u2', '记录 #1')));
    url.pathname = url.pathname.replace(/\/1$/, '/2');
    expect((await fetch(url)).status).toBe(403);
    expect(await driver.command('u2', '记录 #42')).toContain('本群没有 #42 这个事项');
  });
});

describe('台账', () => {
  it('should answer a signed link to the ledger grouped by category, with each row linking its record page', async () => {
    const reply = await driver.command('u1', '台账 本年');
    expect(reply).toContain('2026年台账');
    const url = linkIn(reply);
    expect(url).toContain('/ledger?');
    const html = await (await fetch(url)).text();
    expect(html).toContain('<title>第一党支部 · 2026年 台账</title>');
    const categories = [...html.matchAll(/<table class="ledger" data-category="([^"]+)"/g)].map((m) => m[1]);
    expect(categories).toEqual(['支委会', '其他学习']);
    expect(html).toMatch(/<tr data-number="1"><td>2026-12-03 15:00<\/td><td>#1 支部委员会<\/td><td class="n">6<\/td><td class="n">2<\/td><td class="n">1<\/td><td class="n">3<\/td><td class="yes">✓<\/td><td class="n">0<\/td>/);
    expect(html).toContain('#2 理论学习（已取消）');
    const recordHref = /<tr data-number="1">.*?<a href="([^"]+)">记录<\/a>/.exec(html)?.[1] ?? '';
    const record = await fetch(new URL(recordHref.replace(/&amp;/g, '&'), url));
    expect(record.status).toBe(200);
    expect(await record.text()).toContain('<h1>支部委员会 记录</h1>');
  });

  it('should give the same ledger for 台账 2026 and a workbook with a sheet per category and the members', async () => {
    const url = linkIn(await driver.command('u1', '台账２０２６'));
    const xlsxHref = /<a class="xlsx" href="([^"]+)"/.exec(await (await fetch(url)).text())?.[1] ?? '';
    const res = await fetch(new URL(xlsxHref.replace(/&amp;/g, '&'), url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('第一党支部-2026年-台账.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['支委会', '其他学习', '成员出勤']);
    expect(book.getWorksheet('支委会')?.getRow(2).values).toEqual([undefined, 1, '2026-12-03 15:00', '支部委员会', '已举行', 6, 2, 1, 3, '✓', 0]);
    const members = book.getWorksheet('成员出勤');
    const rows = (members?.getSheetValues() ?? []).slice(2).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows).toContainEqual(['张丽', 1, 0, 1, 0, 0]);
    expect(rows).toContainEqual(['李明', 1, 1, 0, 0, 0]);
    expect(rows).toContainEqual(['王建国', 1, 1, 0, 0, 0]);
  });

  it('should answer a period it cannot read in Chinese with the ledger examples', async () => {
    const reply = await driver.command('u1', '台账 下辈子');
    expect(reply).toContain('例如：台账 本年、台账 2026、台账 本季度');
    expect(reply).not.toContain('http');
    expect(await driver.command('u1', '台账 1999')).toContain('年份「1999」不对');
  });
});

describe('the reminders of missing minutes after a reschedule', () => {
  it('should move the jobs with the meeting and tell the secretaries at the last step', async () => {
    clock.t = shanghai('2026-12-12T11:00');
    await driver.command('u1', '会议 党小组会 12月14日下午3点');
    const before = await duty(3);
    await runFirstReminder(started.bot, before.id);
    const oldPoints = started.bot.services.minutesPlanner.points(before);
    expect((await started.bot.queues.minutes.getJob(oldPoints[0]?.jobId ?? ''))?.id).toBe(oldPoints[0]?.jobId);
    expect(await driver.command('u1', '改期 #3 12月15日下午3点')).toContain('#3');
    const after = await duty(3);
    await runFirstReminder(started.bot, after.id);
    const newPoints = started.bot.services.minutesPlanner.points(after);
    expect(await Promise.all(oldPoints.map((p) => started.bot.queues.minutes.getJob(p.jobId)))).toEqual([undefined, undefined, undefined, undefined]);
    const last = newPoints[3];
    expect(last?.to).toBe('secretaries');
    const job = await started.bot.queues.minutes.getJob(last?.jobId ?? '');
    expect(await job?.getState()).toBe('delayed');
    clock.t = last?.dueAt ?? 0;
    await job?.promote();
    const told = await eventually(async () => (await driver.messages()).find((m) => m.kind === 'text' && plain(m.text).includes('结束已多日仍没有纪要')), 8000, 'the secretaries');
    expect(plain(told.text)).toContain('@王建国');
    expect(plain(told.text)).toContain('#3「党小组会」');
  });
});

describe('user text on the record page and the ledger', () => {
  it('should escape a title and minutes written as HTML', async () => {
    clock.t = shanghai('2026-12-12T12:00');
    await driver.command('u1', '会议 <script>alert(1)</script> 12月16日下午3点 地点 <img src=x onerror=alert(2)>');
    const n = (await started.bot.services.duties.listOpen({ platform: 'sandbox', chatId: driver.chatId })).find((d) => d.title.includes('script'))?.number ?? 0;
    expect(await driver.command('u1', `纪要 #${n} <b onclick="x()">要点</b>`)).toContain('已保存');
    const html = await (await fetch(linkIn(await driver.command('u1', `记录 #${n}`)))).text();
    expect(html).not.toMatch(/<script>|<img|<b onclick/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b onclick=&quot;x()&quot;&gt;要点&lt;/b&gt;');
    const ledger = await (await fetch(linkIn(await driver.command('u1', '台账 本季度')))).text();
    expect(ledger).not.toMatch(/<script>|<img/);
    expect(ledger).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
