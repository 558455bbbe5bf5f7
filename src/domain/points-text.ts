import { zonedParts } from '../time/zoned';
import { signed, type PointsEntry, type PointsSummary } from './points';
import type { PointsRules } from './points-rules';

/** Entries one answer lists at most; the page (积分 排行) has them all. */
export const MAX_ENTRY_LINES = 60;
/** Members the ranking's chat answer lists; the page has everyone. */
export const MAX_RANKING_LINES = 30;

const day = (at: number, timeZone: string): string => {
  const p = zonedParts(at, timeZone);
  return `${p.month}月${p.day}日`;
};

/** `11月27日 #3 支部委员会 · 签到 +2`. */
export function entryLine(e: PointsEntry, timeZone: string): string {
  return `${day(e.at, timeZone)} #${e.number} ${e.title} · ${e.label} ${signed(e.points)}`;
}

/** The months whose points were over the cap: `11月合计 24 分，超过每月上限 20 分，按 20 分计`. */
export function capNotes(s: Pick<PointsSummary, 'months'>, rules: Pick<PointsRules, 'monthlyCap'>): string[] {
  return s.months.filter((m) => m.raw > m.counted).map((m) => `${m.title}合计 ${m.raw} 分，超过每月上限 ${rules.monthlyCap} 分，按 ${m.counted} 分计`);
}

/** A member's own 积分 for a period: the total, then each entry naming its duty, then any month over the cap. */
export function memberPointsText(name: string, periodTitle: string, s: PointsSummary, rules: PointsRules, timeZone: string): string {
  const head = `🏅 ${name} ${periodTitle}积分：${s.total} 分`;
  if (s.entries.length === 0) return `${head}\n这段时间还没有计分的活动（会议、学习结束后或报告截止后计分）。`;
  const shown = s.entries.slice(-MAX_ENTRY_LINES).map((e) => `· ${entryLine(e, timeZone)}`);
  const more = s.entries.length > MAX_ENTRY_LINES ? [`（较早的 ${s.entries.length - MAX_ENTRY_LINES} 条未列出）`] : [];
  const notes = capNotes(s, rules).map((n) => `（${n}）`);
  return [head, ...more, ...shown, ...notes].join('\n');
}

/** The ranking as the chat sees it: `1. 李明 12 分`. */
export function rankingText(
  chatName: string,
  periodTitle: string,
  members: readonly { readonly name: string; readonly total: number }[],
  link?: { readonly url: string; readonly days: number },
): string {
  const lines = members.slice(0, MAX_RANKING_LINES).map((m, i) => `${i + 1}. ${m.name} ${m.total} 分`);
  const more = members.length > MAX_RANKING_LINES ? [`……共 ${members.length} 人，完整名单见页面`] : [];
  const avg = members.length === 0 ? 0 : Math.round((members.reduce((s, m) => s + m.total, 0) / members.length) * 10) / 10;
  const tail = link ? [`明细与 Excel：${link.url}`, `链接 ${link.days} 天内有效。`] : [];
  return [`🏅 ${chatName} ${periodTitle}积分排行（${members.length} 人，人均 ${avg} 分）`, ...lines, ...more, ...tail].join('\n');
}

/** The rules in one line (the page's footer and 帮助). */
export function rulesLine(r: PointsRules): string {
  return `签到 ${signed(r.signin)}、迟到 ${signed(r.late)}、请假 ${signed(r.leave)}、缺席 ${signed(r.absent)}；报告按时 ${signed(r.reportOnTime)}、逾期 ${signed(r.reportLate)}、未交 ${signed(r.reportMissing)}；记录人按时提交纪要 ${signed(r.minutesOnTime)}；每人每月最多计 ${r.monthlyCap} 分`;
}

/** A committee chat's ranking of the chats it reaches: `1. 第一党支部 人均 3.2 分（6 人）`. */
export function committeeRankingText(
  committeeName: string,
  periodTitle: string,
  rows: readonly { readonly name: string; readonly average: number; readonly members: number }[],
): string {
  if (rows.length === 0) return `🏅 ${committeeName} ${periodTitle}各群积分：我还不在其他群里，没有可比较的支部。`;
  const lines = rows.map((r, i) => `${i + 1}. ${r.name} 人均 ${r.average} 分（${r.members} 人）`);
  return [`🏅 ${committeeName} ${periodTitle}各群积分（人均，${rows.length} 个群）`, ...lines, '各群明细：请该群书记在群里发送「积分排行」。'].join('\n');
}

/** A member's 积分 in each of their groups (asked one-to-one): `【第一党支部】7 分` and its entries. */
export function groupsPointsText(
  name: string,
  periodTitle: string,
  groups: readonly { readonly name: string; readonly points: PointsSummary }[],
  rules: PointsRules,
  timeZone: string,
): string {
  if (groups.length === 0) return `我还没在任何群的名单里找到你。请在你所在的支部群里 @我 发送「积分」。`;
  const parts = groups.map((g) => {
    const body = memberPointsText(name, periodTitle, g.points, rules, timeZone).split('\n').slice(1);
    return [`【${g.name}】${g.points.total} 分`, ...body].join('\n');
  });
  return [`🏅 ${name} ${periodTitle}积分（${groups.length} 个群）`, ...parts].join('\n');
}
