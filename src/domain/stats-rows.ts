import { answerOf, byName, dutyPhase, isReport, nameOf, type DutyWithAnswers } from './stats';
import { formatWall } from './stats-format';

/** The columns of the assessment sheet (CSV and XLSX), one row per duty × member of its audience. */
/** Rows come in time order of the duties, and in pinyin order of the members within a duty. */
export const REPORT_COLUMNS = ['支部', '事项', '类型', '时间', '成员', '状态', '原因', '确认时间', '是否逾期'] as const;

export type ReportRow = readonly [string, string, string, string, string, string, string, string, string];

/**
 * 状态: 参加 / 请假 / 缺席 (time passed, no answer) / 未回复 (time ahead); for reports 已提交, 未交 (deadline passed
 * without one) or 未提交 (deadline ahead); 已取消 for a cancelled duty. 是否逾期 (reports only): 是 for a late
 * submission, 否 for one on time, empty when none was submitted — a missing report is 未交, not 逾期 (issue 17).
 */
export function reportRows(
  chatName: string,
  items: readonly DutyWithAnswers[],
  names: ReadonlyMap<string, string>,
  now: number,
  timeZone: string,
): ReportRow[] {
  const rows: ReportRow[] = [];
  const sorted = [...items].sort((a, b) => a.duty.at - b.duty.at || a.duty.number - b.duty.number);
  for (const item of sorted) {
    const { duty } = item;
    const phase = dutyPhase(duty, now);
    const audience = [...new Set(duty.audience)].map((memberId) => ({ memberId, name: nameOf(memberId, names, sorted) })).sort(byName);
    for (const { memberId, name } of audience) {
      const answer = answerOf(item, memberId);
      let status: string;
      let overdue = '';
      if (phase === 'cancelled') status = '已取消';
      else if (isReport(duty)) {
        const submitted = answer?.status === 'submitted';
        status = submitted ? '已提交' : phase === 'past' ? '未交' : '未提交';
        if (submitted) overdue = answer.late === true ? '是' : '否';
      } else if (answer?.status === 'attending') status = '参加';
      else if (answer?.status === 'leave') status = '请假';
      else status = phase === 'past' ? '缺席' : '未回复';
      rows.push([
        chatName,
        `#${duty.number} ${duty.title}`,
        duty.label,
        formatWall(duty.at, timeZone),
        name,
        status,
        answer?.status === 'leave' ? (answer.reason ?? '') : '',
        answer ? formatWall(answer.at, timeZone) : '',
        overdue,
      ]);
    }
  }
  return rows;
}
