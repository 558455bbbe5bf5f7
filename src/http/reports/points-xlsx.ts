import type { Workbook } from 'exceljs';
import type { PointsRanking } from '../../app/points-service';
import { formatDay } from '../../domain/stats-format';
import { loadWorkbookClass } from './exceljs-loader';

export const RANKING_COLUMNS = ['名次', '成员', '积分', '未封顶合计', '计分项'] as const;
export const ENTRY_COLUMNS = ['成员', '日期', '编号', '事项', '类别', '计分项', '分数'] as const;

/** The 积分 workbook: 排行 (one row a member) and 明细 (one row an entry). Plain values, never formulas. */
export async function pointsXlsx(ranking: PointsRanking, timeZone: string): Promise<Buffer> {
  const WorkbookClass = await loadWorkbookClass();
  const book: Workbook = new WorkbookClass();
  book.creator = '落实';
  book.created = new Date(ranking.now);
  const sheet = (name: string, header: readonly string[], rows: readonly (readonly (string | number)[])[], widths: readonly number[]): void => {
    const ws = book.addWorksheet(name);
    ws.addRow([...header]).font = { bold: true };
    for (const row of rows) ws.addRow([...row]);
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  sheet(
    '排行',
    RANKING_COLUMNS,
    ranking.members.map((m, i) => [i + 1, m.name, m.total, m.raw, m.entries.length]),
    [6, 14, 8, 12, 8],
  );
  sheet(
    '明细',
    ENTRY_COLUMNS,
    ranking.members.flatMap((m) => m.entries.map((e) => [m.name, formatDay(e.at, timeZone), `#${e.number}`, e.title, e.category, e.label, e.points])),
    [14, 16, 8, 30, 14, 22, 8],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
