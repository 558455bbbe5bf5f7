import type { Workbook, Worksheet } from 'exceljs';
import type { StatsReport } from '../../app/stats-service';
import { formatRate } from '../../domain/stats';
import { dutyNumbers } from '../../domain/stats-card';
import { formatWall } from '../../domain/stats-format';
import { REPORT_COLUMNS, type ReportRow } from '../../domain/stats-rows';

type ExcelModule = typeof import('exceljs');

/**
 * exceljs is CommonJS. Under jest and the built output (CommonJS `require`) its exports are the namespace itself;
 * under tsx (`npm start`, ESM `import()` of a CJS module) Node gives `{ default: module.exports }` and `Workbook`
 * is only on `default` (https://nodejs.org/api/esm.html#commonjs-namespaces). Accept both shapes.
 */
async function loadWorkbookClass(): Promise<ExcelModule['Workbook']> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  const WorkbookClass = mod.Workbook ?? mod.default?.Workbook;
  if (typeof WorkbookClass !== 'function') throw new Error('exceljs: no Workbook export');
  return WorkbookClass;
}

/**
 * The assessment workbook: 明细 (one row per duty × member, the CSV's columns), 成员 (attendance per member) and
 * 事项 (numbers per duty). Cells are plain strings and numbers, never formulas.
 */
export async function toXlsx(report: StatsReport, rows: readonly ReportRow[], timeZone: string): Promise<Buffer> {
  // Loaded on first use: exceljs is large and most processes never build a workbook (bench:startup).
  const WorkbookClass = await loadWorkbookClass();
  const book: Workbook = new WorkbookClass();
  book.creator = '落实';
  book.created = new Date(report.now);

  addSheet(book.addWorksheet('明细'), [...REPORT_COLUMNS], rows, [12, 28, 8, 18, 10, 8, 24, 18, 10]);
  addSheet(
    book.addWorksheet('成员'),
    ['成员', '应到', '参加', '请假', '缺席', '出勤率', '报告应交', '按时', '逾期', '未交'],
    report.stats.members.map((m) => [m.name, m.expected, m.attended, m.leave, m.absent, formatRate(m.attended, m.expected), m.reportsDue, m.onTime, m.late, m.missing]),
    [12, 8, 8, 8, 8, 10, 10, 8, 8, 8],
  );
  addSheet(
    book.addWorksheet('事项'),
    ['编号', '事项', '类型', '时间', '状态', '人数', '统计'],
    report.stats.duties.map((d) => [
      d.duty.number,
      d.duty.title,
      d.duty.label,
      formatWall(d.duty.at, timeZone),
      d.phase === 'cancelled' ? '已取消' : d.phase === 'upcoming' ? '未到时间' : '已过时间',
      d.audience,
      d.phase === 'cancelled' ? '' : dutyNumbers(d),
    ]),
    [8, 28, 8, 18, 10, 8, 36],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addSheet(sheet: Worksheet, header: string[], rows: readonly (readonly (string | number)[])[], widths: number[]): void {
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
}
