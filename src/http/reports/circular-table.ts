import { complianceLine } from '../../domain/circular';
import type { Circular, CircularRow } from '../../domain/circular';

/** A cell of the circular's table: text, a number, or a rate 0–1 (a percentage in Excel, `—` when nothing was due). */
export type CircularCell = string | number | { readonly rate: number } | null;

export const CIRCULAR_COLUMNS = ['单位', '路径', '级别', '三会一课（已开/应开）', '缺', '应出勤', '实到', '出勤率', '报告应交', '按时', '逾期', '未交', '人均积分', '述职评议'] as const;
export const DETAIL_COLUMNS = ['单位', '类别', '要求', '应开', '已开', '计划', '缺'] as const;

const ratingText = (r: CircularRow): string =>
  r.ratings.map((x) => `#${x.number} ${x.title}：好评率${Math.round(x.positiveShare * 1000) / 10}%（${x.rated}/${x.of}人）`).join('；');

/** One row a unit, in the circular's order (those falling short first). */
export function circularCells(c: Circular): CircularCell[][] {
  return c.rows.map((r) => [
    r.unit.name,
    r.path.join(' › '),
    r.unit.level,
    complianceLine(r.compliance).replace(/⚠️/g, ''),
    r.missing,
    r.expected,
    r.attended,
    r.expected > 0 ? { rate: r.attended / r.expected } : null,
    r.reportsDue,
    r.onTime,
    r.late,
    r.reportsMissing,
    r.pointsAverage,
    ratingText(r),
  ]);
}

/** One row a unit and requirement. */
export function detailCells(c: Circular): (string | number)[][] {
  return c.rows.flatMap((r) => r.compliance.map((x) => [r.unit.name, x.requirement.category, `${x.requirement.period === 'month' ? '每月' : x.requirement.period === 'quarter' ? '每季度' : '每年'}${x.requirement.min}次`, x.owes, x.held, x.planned, x.missing]));
}

/** The cell as the page and the CSV show it. */
export function cellText(cell: CircularCell): string {
  if (cell === null) return '—';
  if (typeof cell === 'object') return `${Math.round(cell.rate * 1000) / 10}%`;
  return String(cell);
}
