import type { StatsReport } from '../../app/stats-service';
import { formatRate } from '../../domain/stats';
import { attendanceLine, dutiesLine, dutyNumbers, reportsLine } from '../../domain/stats-card';
import { formatWall } from '../../domain/stats-format';
import { attendanceChart, chartLegend } from './chart';
import { esc } from './html';

export interface PageInput {
  readonly report: StatsReport;
  readonly timeZone: string;
  /** Relative links to the downloads, carrying the same signed parameters. */
  readonly csvHref: string;
  readonly xlsxHref: string;
  readonly expiresAt: number;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:980px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:2rem 0 .6rem;border-left:4px solid #b22;padding-left:.5rem}
.meta{color:#666;font-size:.9rem;margin:0}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8rem;margin-top:1.2rem}
.summary div{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:.7rem .9rem}
.summary b{display:block;font-size:1.5rem;color:#b22}
.chart{max-width:100%;height:auto;background:#fff;border:1px solid #e5e5e5;border-radius:6px}
.chart text{font-size:13px;fill:#333}.chart .note{fill:#555}
.legend span{margin-right:1rem;font-size:.85rem;color:#555}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #e0e0e0;padding:.35rem .5rem;text-align:left;white-space:nowrap}th{background:#f4f4f5}td.n{text-align:right}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table.duties td:nth-child(2){white-space:normal;min-width:8rem}
@media (max-width:600px){main{padding:.8rem}.summary{grid-template-columns:1fr}th,td{padding:.3rem .4rem}}
.downloads a{display:inline-block;margin-right:1rem;padding:.45rem .9rem;border:1px solid #b22;border-radius:4px;color:#b22;text-decoration:none}
`;

/** The report page: one chat, one period. Every user-written string (titles, names, the chat's name) is escaped. */
export function renderReportPage({ report, timeZone, csvHref, xlsxHref, expiresAt }: PageInput): string {
  const { stats, period, chatName } = report;
  const t = stats.totals;
  const heading = `${chatName} · ${period.title} 统计`;
  const memberRows = stats.members.map(
    (m) =>
      `<tr data-member="${esc(m.memberId)}"><td>${esc(m.name)}</td>${[m.expected, m.attended, m.leave, m.absent].map(num).join('')}<td class="n">${formatRate(m.attended, m.expected)}</td>${[m.reportsDue, m.onTime, m.late, m.missing].map(num).join('')}</tr>`,
  );
  const dutyRows = stats.duties.map(
    (d) =>
      `<tr data-number="${d.duty.number}"><td>#${d.duty.number}</td><td>${esc(d.duty.title)}</td><td>${esc(d.duty.label)}</td><td>${formatWall(d.duty.at, timeZone)}</td><td>${
        d.phase === 'cancelled' ? '已取消' : d.phase === 'upcoming' ? '未到时间' : '已过时间'
      }</td><td>${d.phase === 'cancelled' ? '' : esc(dutyNumbers(d))}</td></tr>`,
  );
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(heading)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(heading)}</h1>
<p class="meta">${formatWall(period.from, timeZone)} 至 ${formatWall(period.to, timeZone)} · 统计截至 ${formatWall(report.now, timeZone)} · 链接有效至 ${formatWall(expiresAt, timeZone)}</p>
<section class="summary">
<div>出勤率<b class="rate">${formatRate(t.attended, t.expected)}</b>${esc(attendanceLine(stats))}</div>
<div>报告按时<b>${t.onTime}/${t.reportsDue}</b>${esc(reportsLine(stats))}</div>
<div>事项<b>${t.duties}</b>${esc(dutiesLine(stats))}</div>
</section>
<h2>各事项出勤</h2>
${attendanceChart(stats.duties)}
${chartLegend()}
<h2>成员</h2>
<div class="scroll"><table class="members"><thead><tr><th>成员</th><th>应到</th><th>参加</th><th>请假</th><th>缺席</th><th>出勤率</th><th>报告应交</th><th>按时</th><th>逾期</th><th>未交</th></tr></thead>
<tbody>${memberRows.join('\n')}</tbody></table></div>
<h2>事项</h2>
<div class="scroll"><table class="duties"><thead><tr><th>编号</th><th>事项</th><th>类型</th><th>时间</th><th>状态</th><th>统计</th></tr></thead>
<tbody>${dutyRows.join('\n')}</tbody></table></div>
<h2>下载</h2>
<p class="downloads"><a class="csv" href="${esc(csvHref)}" download>下载 CSV（明细）</a><a class="xlsx" href="${esc(xlsxHref)}" download>下载 Excel（明细、成员、事项）</a></p>
<p class="meta">出勤率 = 参加 ÷ 应到；应到为已过时间、未取消、本人在参与名单中的会议和学习。请假单独计数，不算缺席，也不算参加。报告在截止后提交记为逾期。</p>
</main></body></html>
`;
}

const num = (n: number): string => `<td class="n">${n}</td>`;
