import type { PointsRanking } from '../../app/points-service';
import { signed } from '../../domain/points';
import { capNotes, rulesLine } from '../../domain/points-text';
import { formatDay, formatWall } from '../../domain/stats-format';
import { esc } from './html';

export interface PointsPageInput {
  readonly ranking: PointsRanking;
  readonly timeZone: string;
  readonly expiresAt: number;
  readonly xlsxHref: string;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1000px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.8rem 0 .6rem;border-left:4px solid #b22;padding-left:.5rem}
.meta{color:#666;font-size:.9rem;margin:0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:.35rem .5rem;text-align:left}th{background:#f4f4f5}td.n{text-align:right}
td.minus{color:#b22;text-align:right}
.downloads a{display:inline-block;margin-right:1rem;padding:.45rem .9rem;border:1px solid #b22;border-radius:4px;color:#b22;text-decoration:none}
@page{size:A4;margin:14mm}
@media print{body{background:#fff}.downloads,.meta.screen{display:none}h2{break-after:avoid}}
`;

/** The 积分 page of a chat: the ranking, then each member's entries (every entry names its duty), then the rules. */
export function renderPointsPage({ ranking, timeZone, expiresAt, xlsxHref }: PointsPageInput): string {
  const heading = `${ranking.chatName} · ${ranking.period.title} 积分`;
  const total = ranking.members.reduce((s, m) => s + m.total, 0);
  const average = ranking.members.length === 0 ? 0 : Math.round((total / ranking.members.length) * 10) / 10;
  const rows = ranking.members.map(
    (m, i) => `<tr data-member="${esc(m.memberId)}"><td class="n">${i + 1}</td><td>${esc(m.name)}</td><td class="n">${m.total}</td><td class="n">${m.raw}</td><td class="n">${m.entries.length}</td></tr>`,
  );
  const details = ranking.members
    .filter((m) => m.entries.length > 0)
    .map((m) => {
      const lines = m.entries.map(
        (e) =>
          `<tr><td>${esc(formatDay(e.at, timeZone))}</td><td>#${e.number} ${esc(e.title)}</td><td>${esc(e.category)}</td><td>${esc(e.label)}</td><td class="${e.points < 0 ? 'minus' : 'n'}">${esc(signed(e.points))}</td></tr>`,
      );
      const notes = capNotes(m, ranking.rules).map((n) => `<p class="meta">${esc(n)}</p>`);
      return `<h2>${esc(m.name)}：${m.total} 分</h2>
<table class="entries" data-member="${esc(m.memberId)}"><thead><tr><th>日期</th><th>事项</th><th>类别</th><th>计分项</th><th>分数</th></tr></thead>
<tbody>${lines.join('\n')}</tbody></table>${notes.join('')}`;
    });
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(heading)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(heading)}</h1>
<p class="meta">${formatWall(ranking.period.from, timeZone)} 至 ${formatWall(ranking.period.to, timeZone)} · 生成于 ${formatWall(ranking.now, timeZone)} · ${ranking.members.length} 人，人均 ${average} 分</p>
<p class="meta screen">链接有效至 ${formatWall(expiresAt, timeZone)}</p>
<h2>排行</h2>
<table class="ranking"><thead><tr><th>名次</th><th>成员</th><th>积分</th><th>未封顶合计</th><th>计分项</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${details.join('\n')}
<p class="downloads"><a class="xlsx" href="${esc(xlsxHref)}" download>下载 Excel（排行、明细）</a></p>
<p class="meta">计分规则：${esc(rulesLine(ranking.rules))}。会议、学习结束后计分，报告截止后计未交；积分每次按签到、请假、报告和纪要记录重新计算。</p>
</main></body></html>
`;
}
