/**
 * 通报 (issue 15) on the console: a 机关党委 and a 工委 list their sub-units (the units falling short first, with the
 * path), a 党支部, an ordinary chat, a member and an unreadable period are refused; the signed page and its Excel.
 */
import ExcelJS from 'exceljs';
import { CIRCULAR_REFUSAL } from '../../src/app/circular-service';
import { REFUSAL } from '../../src/domain/permissions';
import type { Member } from '../../src/domain/types';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

/** 市直机关工委 (gw) › 市财政局机关党委 (jg) › 第一党支部 (b1), 第二党支部 (b2); an ordinary chat (other). */
const CHATS = [
  { id: 'gw', name: '市直机关工委群', owner: 'w1' },
  { id: 'jg', name: '财政局机关党委群', owner: 'j1' },
  { id: 'b1', name: '一支部群', owner: 'a1' },
  { id: 'b2', name: '二支部群', owner: 'c1' },
  { id: 'other', name: '兴趣群', owner: 'o1' },
] as const;
const ORG = `units:
  - name: 市直机关工委
    chat: sandbox:gw
  - name: 市财政局机关党委
    parent: 市直机关工委
    chat: sandbox:jg
  - name: 第一党支部
    parent: 市财政局机关党委
    chat: sandbox:b1
  - name: 第二党支部
    parent: 市财政局机关党委
    chat: sandbox:b2
`;

export async function circularWorld(clock: TestClock): Promise<StartedBot> {
  const started = await startBot({ clock: () => clock.now(), env: { BOT_SUPERADMINS: 'root' } });
  const sandbox = started.bot.sandbox;
  if (!sandbox) throw new Error('sandbox is off');
  for (const c of CHATS) {
    const members: Member[] = [
      { id: c.owner, name: `书记${c.owner}`, platformRole: 'owner' },
      { id: `${c.id}-m`, name: `党员${c.id}`, platformRole: 'member' },
    ];
    await sandbox.repo.saveChat({ id: c.id, name: c.name }, members);
    await started.bot.services.chats.touch({ platform: 'sandbox', chatId: c.id }, c.name, undefined, 'group');
  }
  await started.bot.services.units.importOrgFile(ORG, 'test', clock.now());
  return started;
}

/** In 第一党支部, on Tuesday 3 November 2026: a 支委会 and a 主题党日, both signed in by its member, with minutes. */
export async function holdNovember(started: StartedBot, clock: TestClock): Promise<void> {
  const b1 = new SandboxDriver(started, 'b1');
  expect(await b1.command('a1', '会议 支部委员会 今天下午3点')).toContain('#1');
  expect(await b1.command('a1', '会议 主题党日 今天下午4点')).toContain('#2');
  clock.t = at('2026-11-03T15:10');
  expect(await b1.command('b1-m', '签到 #1')).toContain('已签到 #1');
  clock.t = at('2026-11-03T16:10');
  expect(await b1.command('b1-m', '签到 #2')).toContain('已签到 #2');
  clock.t = at('2026-11-03T18:00');
  await b1.command('a1', '纪要 #1 传达学习了上级精神。');
  await b1.command('a1', '纪要 #2 参观了党史馆。');
}

describe('通报 on the console', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-03T10:00'));
  const say = (chat: string, who: string, text: string): Promise<string> => new SandboxDriver(started, chat).command(who, text);

  beforeEach(async () => {
    clock.t = at('2026-11-03T10:00');
    started = await circularWorld(clock);
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should list the sub-units with the ones falling short first, and refuse whoever may not', async () => {
    await holdNovember(started, clock);
    clock.t = at('2026-12-03T10:00');
    const jg = await say('jg', 'j1', '通报：上月');
    const lines = jg.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '📣 通报 2026年11月 · 市财政局机关党委',
      '共 2 个下级单位，1 个未达要求：第二党支部。',
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
      expect.stringMatching(/^✅ 第一党支部：支委会 1\/1 · 主题党日 1\/1；出勤率 50%；报告 无；人均积分 -?\d/),
    ]);
    expect(jg).toMatch(/完整表格、图表和 Excel：http\S+\/circular\?\S+（\d+ 天内有效）/);
    // The 工委 sees every unit below it, with the path; typed glued.
    const gw = await say('gw', 'w1', '通报上月');
    expect(gw).toContain('共 3 个下级单位');
    expect(gw).toContain('✅ 市财政局机关党委：无要求');
    expect(gw.indexOf('⚠️ 市财政局机关党委 › 第二党支部')).toBeLessThan(gw.indexOf('✅'));
    expect(gw).toContain('✅ 市财政局机关党委 › 第一党支部：支委会 1/1');
    // Refusals: a 党支部, an ordinary chat, a member of the 机关党委, a period it cannot read.
    expect(await say('b1', 'a1', '通报 上月')).toBe(CIRCULAR_REFUSAL.tooLow({ name: '第一党支部', level: '党支部' }));
    expect(await say('other', 'o1', '通报 本月')).toBe(CIRCULAR_REFUSAL.notUnit);
    expect(await say('jg', 'jg-m', '通报 本月')).toBe(REFUSAL.circular);
    expect(await say('jg', 'j1', '通报 明年')).toBe(CIRCULAR_REFUSAL.period('明年'));
  });

  it('should open the signed page with the full table and chart, and the Excel read back', async () => {
    await holdNovember(started, clock);
    clock.t = at('2026-12-03T10:00');
    const reply = await say('jg', 'j1', '通报 本季度');
    const url = (/Excel：(\S+?)（/.exec(reply)?.[1] ?? '').replace(/^http:\/\/[^/]+/, started.baseUrl);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('市财政局机关党委 · 2026年第四季度 通报');
    expect(html).toContain('<svg');
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
    // An altered link shows nothing.
    const bad = url.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const refused = await fetch(bad);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('第一党支部');
  });
});
