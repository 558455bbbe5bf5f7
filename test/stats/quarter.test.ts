import { Workbook, ValueType } from 'exceljs';
import type { CardModel } from '../../src/domain/card-model';
import type { SandboxMessage } from '../../src/store/sandbox-repo';
import { ask } from '../handlers/support';
import { eventually } from '../helpers/harness';
import { HEADER, MEMBERS, ROWS } from './expected-quarter';
import { ASKED_AT, playQuarter, startQuarterWorld, type QuarterWorld } from './quarter-world';

/*
 * A quarter of duties (Q4 2026) with scripted answers: 统计 本季度 through the sandbox console, then the CSV and the
 * XLSX behind the card's signed link, checked number by number and row by row.
 */

jest.setTimeout(60000);

let w: QuarterWorld;

beforeAll(async () => {
  w = await startQuarterWorld();
  await playQuarter(w);
});

afterAll(async () => {
  await w?.stop();
});

type CardMessage = SandboxMessage & { card: CardModel };

/** Say a command and wait for the card the bot answers it with. */
async function askCard(senderId: string, command: string): Promise<CardMessage> {
  const id = await w.driver.say(senderId, `@落实 ${command}`);
  return eventually(
    async () => (await w.driver.messages()).find((m): m is CardMessage => m.replyTo === id && m.kind === 'card' && m.card !== undefined),
    5000,
    `the card answering「${command}」`,
  );
}

function reportLink(card: CardModel): URL {
  const href = card.fields.find((f) => f.label === '报表')?.href;
  if (!href) throw new Error('the card has no report link');
  return new URL(href);
}

const download = (link: URL, file: string): Promise<Response> => {
  const url = new URL(link);
  url.pathname = `${url.pathname}/${file}`;
  return fetch(url);
};

/** RFC 4180 reader, enough for the report (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('统计 本季度 over a quarter of duties', () => {
  let card: CardModel;

  beforeAll(async () => {
    card = (await askCard('u1', '统计 本季度')).card;
  });

  it('should answer with a card of the quarter: the range, the counts and the link', () => {
    expect(card.header).toEqual({ title: '【统计】2026年第四季度', subtitle: '第一党支部', color: 'purple' });
    expect(card.banner).toBeUndefined();
    expect(card.fields.map((f) => [f.label, f.value])).toEqual([
      ['范围', '2026-10-01 00:00 至 2026-12-31 23:59'],
      ['事项', '共 7 项（会议 3、学习 2、报告 2），已取消 1、未到时间 1'],
      ['出勤', '应到 19 人次：参加 13、请假 3、缺席 3，出勤率 68.4%'],
      ['报告', '应交 13 份：按时 5、逾期 2、未交 6'],
      ['报表', '打开报表（可下载 CSV、Excel，7 天内有效）'],
    ]);
    expect(card.tally).toBe('出勤率 68.4% · 报告按时 5/13');
    expect(card.footer).toBe('统计截至 2026-12-31 20:00 · 出勤率 = 参加 ÷ 应到（已过时间、未取消的会议和学习）');
    expect(card.buttons).toEqual([]);
    const link = reportLink(card);
    expect(link.origin).toBe(w.reportsUrl);
    expect(link.pathname).toBe('/reports/sandbox%3Abranch-1');
    expect(link.searchParams.get('from')).toBe(String(Date.parse('2026-10-01T00:00:00+08:00') / 1000));
    expect(link.searchParams.get('to')).toBe(String(Date.parse('2026-12-31T23:59:59+08:00') / 1000));
    expect(link.searchParams.get('exp')).toBe(String(ASKED_AT / 1000 + 7 * 86400));
  });

  it('should give every duty of the quarter its numbers, and leave out those outside it', () => {
    expect(card.groups[0]).toEqual({
      label: '事项',
      entries: [
        { name: '#1 支部委员会', note: '10月15日 15:00 · 参加 4 · 请假 1 · 未回复 1' },
        { name: '#2 理论学习中心组', note: '10月28日 09:00 · 参加 4 · 请假 1 · 未回复 1' },
        { name: '#3 主题党日', note: '11月10日 14:00 · 已取消' },
        { name: '#4 2026年度述职报告', note: '11月30日 18:00 截止 · 已提交 4（含逾期 1） · 未提交 2' },
        { name: '#7 支部党员大会', note: '12月16日 15:00 · 参加 5 · 请假 1 · 未回复 1' },
        { name: '#8 党建工作总结', note: '12月25日 18:00 截止 · 已提交 3（含逾期 1） · 未提交 4' },
        { name: '#9 党课：<b>初心</b> & 使命', note: '12月31日 21:00 · 未开始 · 参加 1 · 请假 0 · 未回复 6' },
      ],
    });
  });

  it('should give every member attended / expected with leave and absence apart, and their reports', () => {
    expect(card.groups[1]?.label).toBe('成员');
    expect(card.groups[1]?.entries).toEqual(
      MEMBERS.map(([name, , attended, leave, absent, rate, , onTime, late, missing]) => ({
        name,
        note: `参加 ${attended}、请假 ${leave}、缺席 ${absent}，出勤率 ${rate}；报告 按时 ${onTime}、逾期 ${late}、未交 ${missing}`,
      })),
    );
  });

  it('should serve every row in the CSV, with a BOM and formulas neutralised', async () => {
    const res = await download(reportLink(card), 'report.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('第一党支部-2026年第四季度-统计.csv')}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain(`第一党支部,#7 支部党员大会,会议,2026-12-16 15:00,刘洋,请假,"'=SUM(1,2) 住院",2026-12-10 09:30,\r\n`);
    const neutral = (cell: string): string => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell);
    expect(parseCsv(text)).toEqual([HEADER, ...ROWS.map((r) => r.map(neutral))]);
  });

  it('should serve every row in the XLSX, read back with exceljs: text as text, times as dates, rates as percentages', async () => {
    const res = await download(reportLink(card), 'report.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    // Issue 17: the sheet names say what they hold.
    expect(book.worksheets.map((s) => s.name)).toEqual(['出勤与报告明细', '成员出勤汇总', '事项汇总']);
    const sheetOf = (name: string) => {
      const sheet = book.getWorksheet(name);
      if (!sheet) throw new Error(`no sheet ${name}`);
      return sheet;
    };
    /** Each cell as text; a date as its wall time `YYYY-MM-DD HH:mm` (the UTC fields, as Excel shows it). */
    const texts = (name: string): string[][] => {
      const sheet = sheetOf(name);
      const rows: string[][] = [];
      sheet.eachRow({ includeEmpty: true }, (row) =>
        rows.push(
          Array.from({ length: sheet.columnCount }, (_, i) => {
            const value = row.getCell(i + 1).value;
            return value instanceof Date ? value.toISOString().slice(0, 16).replace('T', ' ') : row.getCell(i + 1).text;
          }),
        ),
      );
      return rows;
    };
    const detail = sheetOf('出勤与报告明细');
    expect(texts('出勤与报告明细')).toEqual([HEADER, ...ROWS]);
    // 时间 (D) and 确认时间 (H) are Excel dates with a date format, so Excel sorts and filters them as times.
    expect(detail.getCell('D2').type).toBe(ValueType.Date);
    expect(detail.getCell('D2').numFmt).toBe('yyyy-mm-dd hh:mm');
    const answeredRow = ROWS.findIndex((r) => (r[7] ?? '') !== '') + 2;
    expect(detail.getCell(`H${answeredRow}`).type).toBe(ValueType.Date);
    const reason = detail.getCell(`G${ROWS.findIndex((r) => r[6]?.startsWith('=')) + 2}`);
    expect(reason.text).toBe('=SUM(1,2) 住院');
    expect(reason.type).toBe(ValueType.String);
    // The header row stays in view; every column has a width.
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(detail.columns.every((c) => (c.width ?? 0) > 0)).toBe(true);

    const members = sheetOf('成员出勤汇总');
    expect(texts('成员出勤汇总')[0]).toEqual(['成员', '应到', '参加', '请假', '缺席', '出勤率', '报告应交', '按时', '逾期提交', '未交']);
    MEMBERS.forEach((expected, i) => {
      const row = members.getRow(i + 2);
      const [name, due, attended] = expected as [string, number, number];
      expect(row.getCell(1).text).toBe(name);
      // 出勤率 is a number with a percent format (Excel can sort and average it), not the text "66.7%".
      expect(row.getCell(6).type).toBe(ValueType.Number);
      expect(row.getCell(6).value).toBeCloseTo(attended / due, 10);
      expect(row.getCell(6).numFmt).toBe('0.0%');
      expect(Array.from({ length: 10 }, (_, c) => (c === 5 ? expected[5] : row.getCell(c + 1).text))).toEqual(expected.map(String));
    });
    expect(texts('事项汇总').slice(1).map((r) => [r[0], r[4], r[5], r[6]])).toEqual([
      ['1', '已过时间', '6', '参加 4 · 请假 1 · 未回复 1'],
      ['2', '已过时间', '6', '参加 4 · 请假 1 · 未回复 1'],
      ['3', '已取消', '6', ''],
      ['4', '已过时间', '6', '已提交 4（含逾期 1） · 未提交 2'],
      ['7', '已过时间', '7', '参加 5 · 请假 1 · 未回复 1'],
      ['8', '已过时间', '7', '已提交 3（含逾期 1） · 未提交 4'],
      ['9', '未到时间', '7', '参加 1 · 请假 0 · 未回复 6'],
    ]);
    expect(sheetOf('事项汇总').getCell('D2').type).toBe(ValueType.Date);
  });
});

describe('统计 with a period it cannot read', () => {
  it('should answer a Chinese error and send nothing else', async () => {
    const before = (await w.driver.messages()).length;
    const { id, reply } = await ask(w.driver, 'u2', '统计 13月1日至12月31日');
    expect(reply).toBe('开始时间不对：没有这一天：13月1日。例如：统计 本月、统计 本季度、统计 本年、统计 2026-10-01至2026-12-31、统计 10月1日至12月31日');
    await new Promise((r) => setTimeout(r, 300));
    const after = (await w.driver.messages()).slice(before);
    expect(after.map((m) => [m.kind, m.from?.id ?? 'bot', m.id === id || m.replyTo === id])).toEqual([
      ['text', 'u2', true],
      ['text', 'bot', true],
    ]);
  });

  it('should still answer 统计 <编号> with the tally of that duty', async () => {
    expect((await ask(w.driver, 'u2', '统计 #4')).reply).toContain('已提交 4 · 未提交 2');
  });
});
