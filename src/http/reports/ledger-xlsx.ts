import type { Workbook } from 'exceljs';
import type { Ledger } from '../../app/ledger-service';
import { ledgerCells, ledgerRow, LEDGER_COLUMNS } from './ledger-rows';
import { loadWorkbookClass } from './exceljs-loader';

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ] (https://support.microsoft.com/en-us/office/rename-a-worksheet-3f1f7148-ee83-404d-8ef0-9ff99fbad1f9). */
const sheetName = (name: string): string => name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31);

/** The ledger workbook: a sheet per category (the page's rows), then 成员出勤. Plain values, never formulas. */
export async function ledgerXlsx(ledger: Ledger, timeZone: string): Promise<Buffer> {
  const WorkbookClass = await loadWorkbookClass();
  const book: Workbook = new WorkbookClass();
  book.creator = '落实';
  book.created = new Date(ledger.now);
  const sheet = (name: string, header: readonly string[], rows: readonly (readonly (string | number)[])[], widths: readonly number[]): void => {
    const ws = book.addWorksheet(sheetName(name));
    ws.addRow([...header]).font = { bold: true };
    for (const row of rows) ws.addRow([...row]);
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  for (const g of ledger.groups) {
    sheet(g.category, LEDGER_COLUMNS, g.records.map((r) => ledgerCells(ledgerRow(r, ledger, timeZone))), [8, 18, 30, 8, 7, 7, 7, 7, 6, 6]);
  }
  sheet(
    '成员出勤',
    ['成员', '应到', '实到', '请假', '缺席', '迟到'],
    ledger.members.map((m) => [m.name, m.expected, m.present, m.leave, m.absent, m.late]),
    [14, 8, 8, 8, 8, 8],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
