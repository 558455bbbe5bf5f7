import type { CardGroup, CardModel } from './card-model';
import { KINDS } from './duty-kinds';
import { formatRate, type DutyStats, type MemberStats, type PeriodStats } from './stats';
import { formatShort, formatWall } from './stats-format';
import type { StatsPeriod } from './stats-period';

export interface StatsCardInput {
  readonly chatName: string;
  readonly period: StatsPeriod;
  readonly stats: PeriodStats;
  readonly now: number;
  readonly timeZone: string;
  /** The signed report page, and how many days it stays valid. */
  readonly link?: { readonly url: string; readonly days: number };
}

/** Duties listed on the card; the report page lists them all. */
export const CARD_MAX_DUTIES = 30;

/** `参加 4 · 请假 1 · 未回复 1` or `已提交 4（含逾期 1）· 未提交 2`, with the duty's time and phase first. */
export function dutyNote(d: DutyStats, timeZone: string): string {
  const when = `${formatShort(d.duty.at, timeZone)}${d.duty.kind === 'report' ? ' 截止' : ''}`;
  if (d.phase === 'cancelled') return `${when} · 已取消`;
  const phase = d.phase === 'upcoming' ? (d.duty.kind === 'report' ? ' · 未截止' : ' · 未开始') : '';
  return `${when}${phase} · ${dutyNumbers(d)}`;
}

export function dutyNumbers(d: DutyStats): string {
  if (d.duty.kind === 'report') {
    return `已提交 ${d.onTime + d.late}${d.late > 0 ? `（含逾期 ${d.late}）` : ''} · 未提交 ${d.pending}`;
  }
  // A meeting that used sign-in: who came, from the sign-ins; the RSVP kept as 报名.
  if (d.signups !== undefined) return `实到 ${d.attending} · 请假 ${d.leave} · 缺席 ${d.pending} · 报名 ${d.signups}`;
  return `参加 ${d.attending} · 请假 ${d.leave} · 未回复 ${d.pending}`;
}

/** `参加 3、请假 1、缺席 0，出勤率 75%；报告 按时 1、逾期 0、未交 1`. */
export function memberNote(m: MemberStats): string {
  const attendance = `参加 ${m.attended}、请假 ${m.leave}、缺席 ${m.absent}，出勤率 ${formatRate(m.attended, m.expected)}`;
  return m.reportsDue > 0 ? `${attendance}；报告 按时 ${m.onTime}、逾期 ${m.late}、未交 ${m.missing}` : attendance;
}

export function attendanceLine(s: PeriodStats): string {
  const t = s.totals;
  return `应到 ${t.expected} 人次：参加 ${t.attended}、请假 ${t.leave}、缺席 ${t.absent}，出勤率 ${formatRate(t.attended, t.expected)}`;
}

export function reportsLine(s: PeriodStats): string {
  const t = s.totals;
  return `应交 ${t.reportsDue} 份：按时 ${t.onTime}、逾期 ${t.late}、未交 ${t.missing}`;
}

export function dutiesLine(s: PeriodStats): string {
  const t = s.totals;
  const kinds = (['meeting', 'study', 'report'] as const).filter((k) => t.byKind[k] > 0).map((k) => `${KINDS[k].name} ${t.byKind[k]}`);
  const extra = [t.cancelled > 0 ? `已取消 ${t.cancelled}` : '', t.upcoming > 0 ? `未到时间 ${t.upcoming}` : ''].filter(Boolean);
  return `共 ${t.duties} 项${kinds.length > 0 ? `（${kinds.join('、')}）` : ''}${extra.length > 0 ? `，${extra.join('、')}` : ''}`;
}

/** The statistics card of a chat over a period. Pure. */
export function buildStatsCard({ chatName, period, stats, now, timeZone, link }: StatsCardInput): CardModel {
  const t = stats.totals;
  const fields: { label: string; value: string; href?: string }[] = [
    { label: '范围', value: `${formatWall(period.from, timeZone)} 至 ${formatWall(period.to, timeZone)}` },
    { label: '事项', value: dutiesLine(stats) },
    { label: '出勤', value: attendanceLine(stats) },
    { label: '报告', value: reportsLine(stats) },
  ];
  if (link) fields.push({ label: '报表', value: `打开报表（可下载 CSV、Excel，${link.days} 天内有效）`, href: link.url });

  const shown = stats.duties.slice(0, CARD_MAX_DUTIES);
  const dutyEntries = shown.map((d) => ({ name: `#${d.duty.number} ${d.duty.title}`, note: dutyNote(d, timeZone) }));
  if (stats.duties.length > shown.length) dutyEntries.push({ name: `另有 ${stats.duties.length - shown.length} 项`, note: '见报表' });
  const groups: CardGroup[] = [
    { label: '事项', entries: dutyEntries },
    { label: '成员', entries: stats.members.map((m) => ({ name: m.name, note: memberNote(m) })) },
  ];
  return {
    header: { title: `【统计】${period.title}`, subtitle: chatName, color: 'purple' },
    ...(t.duties === 0 ? { banner: '这段时间本群没有事项' } : {}),
    fields,
    tally: `出勤率 ${formatRate(t.attended, t.expected)} · 报告按时 ${t.onTime}/${t.reportsDue}`,
    groups,
    buttons: [],
    footer: `统计截至 ${formatWall(now, timeZone)} · 出勤率 = 参加 ÷ 应到（已过时间、未取消的会议和学习）`,
  };
}

/** The card as plain text, for a platform that could not take the card. */
export function statsCardText(card: CardModel): string {
  const lines = [card.header.title, card.header.subtitle, ...card.fields.map((f) => `${f.label}：${f.href ? `${f.value} ${f.href}` : f.value}`), card.tally];
  for (const g of card.groups) {
    lines.push(`${g.label}：`, ...g.entries.map((e) => (e.note ? `  ${e.name}：${e.note}` : `  ${e.name}`)));
  }
  return lines.join('\n');
}
