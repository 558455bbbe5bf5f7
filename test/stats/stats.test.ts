import { computeStats, dutyStats, formatRate } from '../../src/domain/stats';
import { buildStatsCard, statsCardText } from '../../src/domain/stats-card';
import { namedPeriod } from '../../src/domain/stats-period';
import { reportRows } from '../../src/domain/stats-rows';
import { at, duty, TZ, withAnswers } from './fixtures';

const SIX = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const NAMES = new Map([
  ['u1', '王建国'],
  ['u2', '李明'],
  ['u3', '张丽'],
  ['u4', '刘洋'],
  ['u5', '陈静'],
  ['u6', '赵磊'],
]);
const NOW = at('2026-12-31T20:00');

/** Two past meetings, a cancelled one, a past report, an upcoming study session and an upcoming report. */
function world() {
  const m1 = withAnswers(duty('meeting', 1, '2026-10-15T15:00', SIX), { u1: ['attending'], u2: ['attending'], u3: ['leave', '外出培训'], u4: ['attending'] });
  const m2 = withAnswers(duty('study', 2, '2026-11-05T09:00', [...SIX, 'u7']), { u1: ['attending'], u2: ['leave', '出差'], u3: ['attending'], u5: ['attending'], u7: ['attending'], u9: ['attending'] });
  const cancelled = withAnswers(duty('meeting', 3, '2026-11-10T14:00', SIX, { state: 'cancelled' }), { u1: ['attending'], u2: ['attending'] });
  const report = withAnswers(duty('report', 4, '2026-11-30T18:00', SIX), { u1: ['submitted'], u2: ['submitted'], u3: ['late'] });
  const upcoming = withAnswers(duty('study', 5, '2027-01-02T09:00', SIX), { u1: ['attending'] });
  const upcomingReport = withAnswers(duty('report', 6, '2027-01-10T18:00', SIX), { u4: ['submitted'] });
  return [upcomingReport, m2, report, m1, cancelled, upcoming];
}

describe('computeStats', () => {
  it('should count each duty as 参加 / 请假 / 未回复 or on time / late / pending, ignoring answers from outside the audience', () => {
    const s = computeStats(world(), NAMES, NOW);
    expect(s.duties.map((d) => [d.duty.number, d.phase, d.audience, d.attending, d.leave, d.pending, d.onTime, d.late])).toEqual([
      [1, 'past', 6, 3, 1, 2, 0, 0],
      [2, 'past', 7, 4, 1, 2, 0, 0],
      [3, 'cancelled', 6, 2, 0, 4, 0, 0],
      [4, 'past', 6, 0, 0, 3, 2, 1],
      [5, 'upcoming', 6, 1, 0, 5, 0, 0],
      [6, 'upcoming', 6, 0, 0, 5, 1, 0],
    ]);
  });

  it('should give each member attended / expected over past meetings and study sessions not cancelled, with leave apart from absence', () => {
    const s = computeStats(world(), NAMES, NOW);
    const rows = s.members.map((m) => [m.name, m.expected, m.attended, m.leave, m.absent, formatRate(m.attended, m.expected), m.reportsDue, m.onTime, m.late, m.missing]);
    expect(rows).toEqual([
      // pinyin order: chen, li, liu, wang, zhang, zhao, then the id of a member the roster no longer has
      ['陈静', 2, 1, 0, 1, '50%', 1, 0, 0, 1],
      ['李明', 2, 1, 1, 0, '50%', 1, 1, 0, 0],
      ['刘洋', 2, 1, 0, 1, '50%', 1, 0, 0, 1],
      ['王建国', 2, 2, 0, 0, '100%', 1, 1, 0, 0],
      ['张丽', 2, 1, 1, 0, '50%', 1, 0, 1, 0],
      ['赵磊', 2, 0, 0, 2, '0%', 1, 0, 0, 1],
      ['u7', 1, 1, 0, 0, '100%', 0, 0, 0, 0],
    ]);
    expect(s.totals).toEqual({
      expected: 13,
      attended: 7,
      leave: 2,
      absent: 4,
      reportsDue: 6,
      onTime: 2,
      late: 1,
      missing: 3,
      duties: 6,
      byKind: { meeting: 2, study: 2, report: 2 },
      cancelled: 1,
      upcoming: 2,
    });
  });

  it('should count a duty whose time is exactly now as past', () => {
    const d = duty('meeting', 1, '2026-12-31T20:00', ['u1']);
    expect(dutyStats(withAnswers(d, {}), NOW).phase).toBe('past');
    expect(dutyStats(withAnswers(d, {}), NOW - 1).phase).toBe('upcoming');
  });

  it('should show no rate when nothing was expected, and round to one decimal', () => {
    expect(formatRate(0, 0)).toBe('—');
    expect(formatRate(2, 3)).toBe('66.7%');
    expect(formatRate(1, 3)).toBe('33.3%');
    expect(formatRate(13, 19)).toBe('68.4%');
    expect(formatRate(1, 8)).toBe('12.5%');
    expect(formatRate(3, 3)).toBe('100%');
  });
});

describe('reportRows', () => {
  it('should give one row per duty × audience member with 状态, 原因, 确认时间 and 是否逾期', () => {
    const rows = reportRows('第一党支部', world(), NAMES, NOW, TZ);
    expect(rows).toHaveLength(6 + 7 + 6 + 6 + 6 + 6);
    const of = (number: number) => rows.filter((r) => r[1] === `#${number} 事项${number}`).map((r) => [r[4], r[5], r[6], r[7], r[8]].join('|'));
    expect(of(1)).toEqual(['陈静|缺席|||', '李明|参加||2026-10-15 14:00|', '刘洋|参加||2026-10-15 14:00|', '王建国|参加||2026-10-15 14:00|', '张丽|请假|外出培训|2026-10-15 14:00|', '赵磊|缺席|||']);
    expect(of(2)).toEqual(['陈静|参加||2026-11-05 08:00|', '李明|请假|出差|2026-11-05 08:00|', '刘洋|缺席|||', '王建国|参加||2026-11-05 08:00|', '张丽|参加||2026-11-05 08:00|', '赵磊|缺席|||', 'u7|参加||2026-11-05 08:00|']);
    expect(of(3)).toEqual(['陈静|已取消|||', '李明|已取消||2026-11-10 13:00|', '刘洋|已取消|||', '王建国|已取消||2026-11-10 13:00|', '张丽|已取消|||', '赵磊|已取消|||']);
    // A missing report is 未交, not 逾期 (issue 17): 是否逾期 speaks of submissions only.
    expect(of(4)).toEqual(['陈静|未交|||', '李明|已提交||2026-11-30 17:00|否', '刘洋|未交|||', '王建国|已提交||2026-11-30 17:00|否', '张丽|已提交||2026-11-30 19:00|是', '赵磊|未交|||']);
    expect(of(5)[1]).toBe('李明|未回复|||');
    expect(of(6).slice(1, 3)).toEqual(['李明|未提交|||', '刘洋|已提交||2027-01-10 17:00|否']);
    expect(rows[0]).toEqual(['第一党支部', '#1 事项1', '会议', '2026-10-15 15:00', '陈静', '缺席', '', '', '']);
  });
});

describe('buildStatsCard', () => {
  it('should show the numbers of each duty and each member, the totals and the report link', () => {
    const s = computeStats(world(), NAMES, NOW);
    const card = buildStatsCard({ chatName: '第一党支部', period: namedPeriod('quarter', 0, NOW, TZ), stats: s, now: NOW, timeZone: TZ, link: { url: 'http://x/r', days: 7 } });
    expect(card.header).toEqual({ title: '【统计】2026年第四季度', subtitle: '第一党支部', color: 'purple' });
    expect(card.fields).toEqual([
      { label: '范围', value: '2026-10-01 00:00 至 2026-12-31 23:59' },
      { label: '事项', value: '共 6 项（会议 2、学习 2、报告 2），已取消 1、未到时间 2' },
      { label: '出勤', value: '应到 13 人次：参加 7、请假 2、缺席 4，出勤率 53.8%' },
      { label: '报告', value: '应交 6 份：按时 2、逾期 1、未交 3' },
      { label: '报表', value: '打开报表（可下载 CSV、Excel，7 天内有效）', href: 'http://x/r' },
    ]);
    expect(card.tally).toBe('出勤率 53.8% · 报告按时 2/6');
    expect(card.groups[0]?.entries).toEqual([
      { name: '#1 事项1', note: '10月15日 15:00 · 参加 3 · 请假 1 · 未回复 2' },
      { name: '#2 事项2', note: '11月5日 09:00 · 参加 4 · 请假 1 · 未回复 2' },
      { name: '#3 事项3', note: '11月10日 14:00 · 已取消' },
      { name: '#4 事项4', note: '11月30日 18:00 截止 · 已提交 3（含逾期 1） · 未提交 3' },
      { name: '#5 事项5', note: '1月2日 09:00 · 未开始 · 参加 1 · 请假 0 · 未回复 5' },
      { name: '#6 事项6', note: '1月10日 18:00 截止 · 未截止 · 已提交 1 · 未提交 5' },
    ]);
    expect(card.groups[1]?.entries[1]).toEqual({ name: '李明', note: '参加 1、请假 1、缺席 0，出勤率 50%；报告 按时 1、逾期 0、未交 0' });
    expect(card.groups[1]?.entries[6]).toEqual({ name: 'u7', note: '参加 1、请假 0、缺席 0，出勤率 100%' });
    expect(card.buttons).toEqual([]);
    expect(statsCardText(card)).toContain('报表：打开报表（可下载 CSV、Excel，7 天内有效） http://x/r');
  });

  it('should say so when the period has no duty', () => {
    const card = buildStatsCard({ chatName: '第一党支部', period: namedPeriod('month', 0, NOW, TZ), stats: computeStats([], NAMES, NOW), now: NOW, timeZone: TZ });
    expect(card.banner).toBe('这段时间本群没有事项');
    expect(card.tally).toBe('出勤率 — · 报告按时 0/0');
    expect(card.fields.map((f) => f.label)).toEqual(['范围', '事项', '出勤', '报告']);
  });
});
