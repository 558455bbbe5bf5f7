/**
 * 通报 (issue 15) on the console: a 机关党委 and a 工委 list their sub-units (the units falling short first, with the
 * path), a 党支部, an ordinary chat, a member and an unreadable period are refused; the signed page and its Excel.
 */
import ExcelJS from 'exceljs';
import { chromium } from 'playwright-core';
import { CIRCULAR_REFUSAL } from '../../src/app/circular-service';
import { REFUSAL } from '../../src/domain/permissions';
import type { CardModel } from '../../src/domain/card-model';
import { eventually, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { circularWorld, holdNovember } from './circular-world';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

describe('通报 on the console', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-03T10:00'));
  const say = (chat: string, who: string, text: string): Promise<string> => new SandboxDriver(started, chat).command(who, text);
  /** The card answering `text` in `chat`, as `who` typed it. */
  const cardFor = async (chat: string, who: string, text: string): Promise<CardModel> => {
    const driver = new SandboxDriver(started, chat);
    const id = await driver.say(who, `@落实 ${text}`);
    const reply = await eventually(async () => (await driver.messages()).find((m) => m.replyTo === id && (m.kind === 'card' || m.kind === 'text')), 5000, `a reply to「${text}」`);
    if (!reply.card) throw new Error(`a text, not a card: ${reply.text}`);
    return reply.card;
  };
  const entries = (card: CardModel): string[] => card.groups.flatMap((g) => g.entries.map((e) => `${e.name}：${e.note ?? ''}`));

  beforeEach(async () => {
    clock.t = at('2026-11-03T10:00');
    started = await circularWorld(clock);
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should list the sub-units with the ones falling short first, and refuse whoever may not', async () => {
    await holdNovember(started, clock);
    // In 第二党支部, a report due 10 November: its member submits it, its secretary does not.
    const b2 = new SandboxDriver(started, 'b2');
    expect(await b2.command('c1', '述职 月度思想汇报 截止 11月10日')).toContain('#1');
    await b2.command('b2-m', '已提交 #1');
    clock.t = at('2026-12-03T10:00');
    const jg = await cardFor('jg', 'j1', '通报：上月');
    expect(jg.header).toEqual({ title: '【通报】2026年11月', subtitle: '市财政局机关党委', color: 'orange' });
    expect(jg.fields[0]).toEqual({ label: '下级单位', value: '2 个，未达要求 1 个：第二党支部' });
    expect(jg.fields[1]?.href).toMatch(/^http\S+\/reports\/sandbox%3Ajg\/circular\?from=\d+&to=\d+&exp=\d+&sig=\S+$/);
    const rows = entries(jg);
    expect(rows[0]).toMatch(/^⚠️ 第二党支部：支委会 0\/1⚠️ · 主题党日 0\/1⚠️；出勤率 —；报告 按时1·逾期0·未交1；人均积分 -?[\d.]+$/);
    expect(rows[1]).toMatch(/^✅ 第一党支部：支委会 1\/1 · 主题党日 1\/1；出勤率 50%；报告 无；人均积分 -?\d/);
    // The 工委 sees every unit below it, with the path; typed glued.
    const gw = entries(await cardFor('gw', 'w1', '通报上月'));
    expect(gw).toHaveLength(3);
    expect(gw[0]).toContain('⚠️ 市财政局机关党委 › 第二党支部：');
    expect(gw).toContain('✅ 市财政局机关党委：无要求；出勤率 —；报告 无；人均积分 0');
    expect(gw).toHaveLength(3);
    expect(gw.some((e) => e.startsWith('✅ 市财政局机关党委 › 第一党支部：支委会 1/1'))).toBe(true);
    // Refusals: a 党支部, an ordinary chat, a member of the 机关党委, a period it cannot read.
    expect(await say('b1', 'a1', '通报 上月')).toBe(CIRCULAR_REFUSAL.tooLow({ name: '第一党支部', level: '党支部' }));
    expect(await say('other', 'o1', '通报 本月')).toBe(CIRCULAR_REFUSAL.notUnit);
    expect(await say('jg', 'jg-m', '通报 本月')).toBe(REFUSAL.circular);
    expect(await say('jg', 'j1', '通报 明年')).toBe(CIRCULAR_REFUSAL.period('明年'));
  });

  it('should open the signed page with the full table and chart, the 述职评议 results, and the Excel read back', async () => {
    await holdNovember(started, clock);
    // In 第二党支部, a report due 10 November whose rating its secretary opens after the deadline.
    const b2 = new SandboxDriver(started, 'b2');
    expect(await b2.command('c1', '述职 月度思想汇报 截止 11月10日')).toContain('#1');
    clock.t = at('2026-11-10T19:00');
    expect(await b2.command('c1', '评议 #1')).toContain('已发起 #1「月度思想汇报」述职评议');
    clock.t = at('2026-12-03T10:00');
    const card = await cardFor('jg', 'j1', '通报 本季度');
    const url = (card.fields.find((f) => f.label === '完整表格')?.href ?? '').replace(/^http:\/\/[^/]+/, started.baseUrl);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('市财政局机关党委 · 2026年第四季度 通报');
    expect(html).toContain('<svg');
    expect(html).toMatch(/<td>#1 月度思想汇报：好评率0%（0\/\d人）<\/td>/);
    expect(html).toMatch(/<tr data-unit="第二党支部" class="short">.*<\/tr>[\s\S]*<tr data-unit="第一党支部" class="short">/);
    const xlsxHref = /href="\.\/(circular\.xlsx\?[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const xlsx = await fetch(new URL(xlsxHref, url));
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.getWorksheet('通报');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (sheet?.getRow(1).values as unknown[]).slice(1);
    expect(sheet?.getRow(2).getCell(2).value).toEqual(new Date(Date.UTC(2026, 11, 3, 10, 0)));
    const rowOf = (n: number): Record<string, unknown> => {
      const values = (sheet?.getRow(n).values as unknown[]).slice(1);
      return Object.fromEntries(header.map((h, i) => [String(h), values[i]]));
    };
    // Both fall short this quarter (December is not held yet); 第二党支部 misses more and comes first.
    expect(rowOf(3)).toMatchObject({ 单位: '第二党支部', 缺: 8, 应出勤: 0, 实到: 0 });
    expect(rowOf(4)).toMatchObject({ 单位: '第一党支部', 路径: '第一党支部', 级别: '党支部', 缺: 6, 应出勤: 4, 实到: 2, 出勤率: 0.5 });
    expect(sheet?.getRow(4).getCell(header.indexOf('出勤率') + 1).numFmt).toBe('0.0%');
    expect(book.getWorksheet('督查明细')?.getRow(2).values).toEqual([undefined, '第二党支部', '支部党员大会', '每季度1次', 1, 0, 0, 1]);
    const csv = await fetch(new URL(xlsxHref.replace('circular.xlsx', 'circular.csv'), url));
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('第二党支部');
    // In Chromium: the table's rows and the chart's two bars per unit are drawn.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const tab = await browser.newPage();
      expect((await tab.goto(url))?.status()).toBe(200);
      expect(await tab.locator('table.circular tbody tr').count()).toBe(2);
      const groups = tab.locator('svg.chart g.unit');
      const drawn: { unit: string | null; width: number }[] = [];
      for (let i = 0; i < (await groups.count()); i++) {
        drawn.push({ unit: await groups.nth(i).getAttribute('data-unit'), width: (await groups.nth(i).boundingBox())?.width ?? 0 });
      }
      expect(drawn.map((d) => d.unit)).toEqual(['第二党支部', '第一党支部']);
      expect(drawn.every((d) => d.width > 100)).toBe(true);
    } finally {
      await browser.close();
    }
    // An altered link shows nothing.
    const bad = url.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const refused = await fetch(bad);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('第一党支部');
  });
});
