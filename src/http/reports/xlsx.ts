import type { Workbook, Worksheet } from 'exceljs';
import type { StatsReport } from '../../app/stats-service';
import { dutyNumbers } from '../../domain/stats-card';
import { formatWall } from '../../domain/stats-format';
import { REPORT_COLUMNS, type ReportRow } from '../../domain/stats-rows';
import { loadWorkbookClass } from './exceljs-loader';

/** The sheets' names say what they hold (issue 17 "Exports"). */
export const SHEETS = { rows: '出勤与报告明细', members: '成员出勤汇总', duties: '事项汇总' } as const;

/** A cell: text, a number, a rate (0–1, shown as a percentage), a wall time (an Excel date) or nothing. */
type Cell = string | number | { readonly rate: number } | { readonly wall: string } | null;

/**
 * The assessment workbook: one row per duty × member (the CSV's columns), attendance per member and numbers per
 * duty. Rates are numbers with a percent format and times are Excel dates (Beijing wall time), so Excel sorts and
 * sums them; each sheet has column widths, a frozen header row and a filter. Never formulas.
 */
export async function toXlsx(report: StatsReport, rows: readonly ReportRow[], timeZone: string): Promise<Buffer> {
  // Loaded on first use: exceljs is large and most processes never build a workbook (bench:startup).
  const WorkbookClass = await loadWorkbookClass();
  const book: Workbook = new WorkbookClass();
  book.creator = '落实';
  book.created = new Date(report.now);

  const timeColumns = new Set([3, 7]); // 时间, 确认时间
  addSheet(
    book.addWorksheet(SHEETS.rows),
    [...REPORT_COLUMNS],
    rows.map((row) => row.map((cell, i): Cell => (timeColumns.has(i) ? (cell ? { wall: cell } : null) : cell))),
    [12, 28, 8, 18, 10, 8, 24, 18, 10],
  );
  addSheet(
    book.addWorksheet(SHEETS.members),
    ['成员', '应到', '参加', '请假', '缺席', '出勤率', '报告应交', '按时', '逾期提交', '未交'],
    report.stats.members.map((m) => [m.name, m.expected, m.attended, m.leave, m.absent, rateCell(m.attended, m.expected), m.reportsDue, m.onTime, m.late, m.missing]),
    [12, 8, 8, 8, 8, 10, 10, 8, 10, 8],
  );
  addSheet(
    book.addWorksheet(SHEETS.duties),
    ['编号', '事项', '类型', '时间', '状态', '人数', '统计'],
    report.stats.duties.map((d) => [
      d.duty.number,
      d.duty.title,
      d.duty.label,
      { wall: formatWall(d.duty.at, timeZone) },
      d.phase === 'cancelled' ? '已取消' : d.phase === 'upcoming' ? '未到时间' : '已过时间',
      d.audience,
      d.phase === 'cancelled' ? '' : dutyNumbers(d),
    ]),
    [8, 28, 8, 18, 10, 8, 36],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** attended ÷ expected as a number (0–1); no cell when nothing was expected (the page shows —). */
function rateCell(part: number, whole: number): Cell {
  return whole > 0 ? { rate: part / whole } : null;
}

/**
 * `2026-12-16 15:00` (Beijing wall time) as the Date whose UTC fields are those: Excel dates have no zone, and
 * exceljs writes a Date by its UTC fields (https://github.com/exceljs/exceljs#dates).
 */
function wallDate(wall: string): Date {
  return new Date(`${wall.replace(' ', 'T')}:00Z`);
}

function addSheet(sheet: Worksheet, header: string[], rows: readonly (readonly Cell[])[], widths: number[]): void {
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(row.map((cell) => (cell === null || typeof cell !== 'object' ? cell : 'rate' in cell ? cell.rate : wallDate(cell.wall))));
    row.forEach((cell, i) => {
      if (cell === null || typeof cell !== 'object') return;
      added.getCell(i + 1).numFmt = 'rate' in cell ? '0.0%' : 'yyyy-mm-dd hh:mm';
    });
  }
  widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
}
