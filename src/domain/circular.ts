import type { CardModel } from './card-model';
import type { ComplianceRow, PeriodUnit } from './compliance';
import { formatRate } from './stats';
import type { StatsPeriod } from './stats-period';
import type { ChatRef } from './types';
import { rankOf, type Unit } from './units';

/**
 * The committee's circular (通报, issue 15): per sub-unit of a committee, each required category held/required
 * (督查), the attendance rate from sign-ins, reports on time/late/missing, the 积分 average and the 述职 ratings of
 * the period. Pure: the rows, their order (the units that fall short first) and the text of the card.
 */

/** Who may send a circular: a unit above 党支部 (工委, 机关党委, 党总支) — its sub-units are what it lists. */
export const mayCirculate = (unit: Pick<Unit, 'level'>): boolean => rankOf(unit.level) < rankOf('党支部');

export interface CircularRating {
  readonly number: number;
  readonly title: string;
  readonly rated: number;
  readonly of: number;
  /** (好 + 较好) / rated, 0 … 1. */
  readonly positiveShare: number;
}

export interface CircularRow {
  readonly unit: Unit;
  /** The names from the committee down to the unit, the committee excluded: 市财政局机关党委 › 第一党支部. */
  readonly path: readonly string[];
  readonly chat: ChatRef;
  readonly compliance: readonly ComplianceRow[];
  /** The sum of the compliance rows' missing. */
  readonly missing: number;
  readonly attended: number;
  readonly expected: number;
  readonly reportsDue: number;
  readonly onTime: number;
  readonly late: number;
  readonly reportsMissing: number;
  readonly pointsAverage: number;
  readonly ratings: readonly CircularRating[];
}

export interface Circular {
  readonly committee: Unit;
  readonly size: PeriodUnit;
  readonly period: StatsPeriod;
  readonly now: number;
  readonly rows: readonly CircularRow[];
}

/** A unit falls short when it misses a required meeting or a report. */
export const fallsShort = (r: Pick<CircularRow, 'missing' | 'reportsMissing'>): boolean => r.missing > 0 || r.reportsMissing > 0;

/** The units that fall short first (most missing first), then by path. */
export function orderRows(rows: readonly CircularRow[]): CircularRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(fallsShort(b)) - Number(fallsShort(a)) ||
      b.missing + b.reportsMissing - (a.missing + a.reportsMissing) ||
      a.path.join('›').localeCompare(b.path.join('›'), 'zh-CN'),
  );
}

/** `66.7%`; `—` when nothing was expected. */
export const attendanceRate = (r: Pick<CircularRow, 'attended' | 'expected'>): string => formatRate(r.attended, r.expected);

/** 支委会 1/3 · 主题党日 0/3 */
export const complianceLine = (rows: readonly ComplianceRow[]): string =>
  rows.length === 0 ? '无要求' : rows.map((c) => `${c.requirement.category} ${c.held}/${c.owes}${c.missing > 0 ? '⚠️' : ''}`).join(' · ');

/** One unit's line of the card. */
export function rowText(r: CircularRow): string {
  const mark = fallsShort(r) ? '⚠️' : '✅';
  const reports = r.reportsDue === 0 ? '报告 无' : `报告 按时${r.onTime}·逾期${r.late}·未交${r.reportsMissing}`;
  return `${mark} ${r.path.join(' › ')}：${complianceLine(r.compliance)}；出勤率 ${attendanceRate(r)}；${reports}；人均积分 ${r.pointsAverage}`;
}

/** The circular as text (the card's body): a summary, then one line a unit, those falling short first. */
export function circularText(c: Circular, link?: { url: string; days: number }): string {
  const short = c.rows.filter(fallsShort);
  const head = `📣 通报 ${c.period.title} · ${c.committee.name}`;
  if (c.rows.length === 0) return `${head}\n本单位还没有下级单位绑定了群：请在下级单位的群里发送「本群 <单位名> 上级 ${c.committee.name}」。`;
  const summary = short.length > 0 ? `共 ${c.rows.length} 个下级单位，${short.length} 个未达要求：${short.map((r) => r.unit.name).join('、')}。` : `共 ${c.rows.length} 个下级单位，均已达到要求。`;
  const lines = [head, summary, ...c.rows.map(rowText), '已开/应开：已结束、有签到且已交纪要的次数。'];
  if (link) lines.push(`完整表格、图表和 Excel：${link.url}（${link.days} 天内有效）`);
  return lines.join('\n');
}

type Day = { year: number; month: number; day: number };

/** The working day of the month on which the circular of the period just ended is sent. */
export const CIRCULAR_WORKDAY = 3;

/**
 * The periods whose automatic circular is due on `today`: none unless it is the month's 3rd working day; then the
 * month just ended, and the quarter just ended in January, April, July and October, and the year just ended in
 * January. Pure (the working days come from the calendar, src/time).
 */
export function circularSizesDue(today: Day, isWorkday: (d: Day) => boolean): PeriodUnit[] {
  if (!isWorkday(today)) return [];
  let n = 0;
  for (let day = 1; day <= today.day; day++) if (isWorkday({ year: today.year, month: today.month, day })) n += 1;
  if (n !== CIRCULAR_WORKDAY) return [];
  const sizes: PeriodUnit[] = ['month'];
  if ((today.month - 1) % 3 === 0) sizes.push('quarter');
  if (today.month === 1) sizes.push('year');
  return sizes;
}

/** Units shown on the card; the rest are on the page. */
export const CARD_MAX_UNITS = 30;

/** Names of units falling short in the summary line; the rest are counted (the rows and the page have them all). */
const SUMMARY_MAX_NAMES = 10;

/** The footer of the automatic circular (自动通报): how to stop it. */
export const AUTO_CIRCULAR_FOOTER = '自动通报；发送「设置 自动通报 关」可关闭';

const EXPLAINED = '已开/应开：已结束、有签到且已交纪要的次数；出勤率 = 实到 ÷ 应出勤';

/** `第二党支部、第三党支部 等 12 个`. */
function shortNames(short: readonly CircularRow[]): string {
  const names = short.slice(0, SUMMARY_MAX_NAMES).map((r) => r.unit.name).join('、');
  return short.length > SUMMARY_MAX_NAMES ? `${names} 等 ${short.length} 个` : names;
}

/**
 * The circular as a card: the summary, the signed page's link (a button on Feishu, a link on DingTalk), one row a
 * unit (those falling short first). `auto`: sent by the automatic circular, whose footer says how to stop it.
 */
export function circularCard(c: Circular, link: { url: string; days: number }, options: { auto?: boolean } = {}): CardModel {
  const short = c.rows.filter(fallsShort);
  const shown = c.rows.slice(0, CARD_MAX_UNITS);
  // The units beyond the card are counted (`total`): the renderers say how many more the page lists.
  const entries = shown.map((r) => ({ name: `${fallsShort(r) ? '⚠️' : '✅'} ${r.path.join(' › ')}`, note: rowText(r).slice(rowText(r).indexOf('：') + 1) }));
  return {
    header: { title: `【通报】${c.period.title}`, subtitle: c.committee.name, color: short.length > 0 ? 'orange' : 'green' },
    ...(c.rows.length === 0 ? { banner: '本单位还没有下级单位绑定了群' } : {}),
    fields: [
      { label: '下级单位', value: `${c.rows.length} 个，未达要求 ${short.length} 个${short.length > 0 ? `：${shortNames(short)}` : ''}` },
      { label: '完整表格', value: `打开（图表、督查明细、述职评议，可下载 Excel、CSV，${link.days} 天内有效）`, href: link.url },
    ],
    tally: `未达要求 ${short.length} · 达到要求 ${c.rows.length - short.length}`,
    groups: [{ label: '各单位（未达要求的在前）', entries, rows: true, ...(c.rows.length > shown.length ? { total: c.rows.length } : {}) }],
    buttons: [],
    footer: options.auto ? `${AUTO_CIRCULAR_FOOTER}。${EXPLAINED}` : EXPLAINED,
  };
}
