import type { Workbook } from 'exceljs';
import type { Circular } from '../../domain/circular';
import { CIRCULAR_COLUMNS, circularCells, DETAIL_COLUMNS, detailCells } from './circular-table';
import { loadWorkbookClass } from './exceljs-loader';

/** Beijing wall time as an Excel date (Excel has no time zones: the wall clock is written as if UTC). */
const wallDate = (ms: number, timeZone: string): Date => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ms).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)));
};

/**
 * The circular's workbook: 通报 (one row a unit; numbers as numbers, the attendance rate in percent format, the
 * time it was made as an Excel date) and 督查明细 (one row a unit and requirement). Frozen headers, never formulas.
 */
export async function circularXlsx(c: Circular, timeZone: string): Promise<Buffer> {
  const WorkbookClass = await loadWorkbookClass();
  const book: Workbook = new WorkbookClass();
  book.creator = '落实';
  book.created = new Date(c.now);
  const ws = book.addWorksheet('通报');
  ws.addRow([...CIRCULAR_COLUMNS]).font = { bold: true };
  const made = ws.addRow([`${c.committee.name} · ${c.period.title} 通报，生成于`, wallDate(c.now, timeZone)]);
  made.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
  for (const cells of circularCells(c)) {
    const row = ws.addRow(cells.map((cell) => (cell !== null && typeof cell === 'object' ? cell.rate : cell)));
    cells.forEach((cell, i) => {
      if (cell !== null && typeof cell === 'object') row.getCell(i + 1).numFmt = '0.0%';
    });
  }
  [16, 30, 10, 36, 6, 8, 8, 8, 8, 6, 6, 6, 8, 40].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const detail = book.addWorksheet('督查明细');
  detail.addRow([...DETAIL_COLUMNS]).font = { bold: true };
  for (const cells of detailCells(c)) detail.addRow(cells);
  [16, 14, 12, 6, 6, 6, 6].forEach((w, i) => (detail.getColumn(i + 1).width = w));
  detail.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
