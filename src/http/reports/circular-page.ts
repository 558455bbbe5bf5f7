import { attendanceRate, fallsShort, type Circular } from '../../domain/circular';
import { formatWall } from '../../domain/stats-format';
import { CIRCULAR_COLUMNS, cellText, circularCells, DETAIL_COLUMNS, detailCells } from './circular-table';
import { esc } from './html';

export interface CircularPageInput {
  readonly circular: Circular;
  readonly timeZone: string;
  readonly expiresAt: number;
  readonly xlsxHref: string;
  readonly csvHref: string;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.8rem 0 .6rem;border-left:4px solid #b22;padding-left:.5rem}
.meta{color:#666;font-size:.9rem;margin:0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.85rem}
th,td{border:1px solid #d0d0d0;padding:.35rem .5rem;text-align:left}th{background:#f4f4f5}tr.short td:first-child{color:#b22;font-weight:600}
.chart text{font-size:12px;fill:#333}
.downloads a{display:inline-block;margin-right:1rem;padding:.45rem .9rem;border:1px solid #b22;border-radius:4px;color:#b22;text-decoration:none}
@page{size:A4 landscape;margin:12mm}
@media print{body{background:#fff}.downloads,.meta.screen{display:none}h2{break-after:avoid}}
`;

const LABEL_W = 260;
const BAR_W = 360;
const ROW_H = 34;

/** Inline SVG, in the style of src/http/reports/chart.ts: per unit, 三会一课 held/required (red) and attendance (green). */
export function circularChart(c: Circular): string {
  const height = Math.max(1, c.rows.length) * ROW_H + 10;
  const width = LABEL_W + BAR_W + 120;
  const rows = c.rows.map((r, i) => {
    const y = i * ROW_H + 5;
    const owes = r.compliance.reduce((n, x) => n + x.owes, 0);
    const held = r.compliance.reduce((n, x) => n + Math.min(x.held, x.owes), 0);
    const share = owes === 0 ? 1 : held / owes;
    const rate = r.expected === 0 ? 0 : r.attended / r.expected;
    return `<g class="unit" data-unit="${esc(r.unit.name)}"><title>${esc(`${r.path.join(' › ')}：已开/应开 ${held}/${owes}，出勤率 ${attendanceRate(r)}`)}</title>
<text x="${LABEL_W - 8}" y="${y + 16}" text-anchor="end">${esc(r.path.join(' › '))}</text>
<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="12" fill="#f2f3f5"/><rect x="${LABEL_W}" y="${y}" width="${Math.round(share * BAR_W)}" height="12" fill="${fallsShort(r) ? '#d9534f' : '#b22'}"/>
<rect x="${LABEL_W}" y="${y + 14}" width="${BAR_W}" height="12" fill="#f2f3f5"/><rect x="${LABEL_W}" y="${y + 14}" width="${Math.round(rate * BAR_W)}" height="12" fill="#3a9d5d"/>
<text x="${LABEL_W + BAR_W + 8}" y="${y + 16}">${held}/${owes} · ${esc(attendanceRate(r))}</text></g>`;
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="各单位三会一课和出勤率">${rows.join('')}</svg>`;
}

/** The circular's page: the full table (those falling short first), the chart, the details by requirement, downloads. */
export function renderCircularPage({ circular: c, timeZone, expiresAt, xlsxHref, csvHref }: CircularPageInput): string {
  const heading = `${c.committee.name} · ${c.period.title} 通报`;
  const cells = circularCells(c);
  const rows = c.rows.map(
    (r, i) => `<tr data-unit="${esc(r.unit.name)}" class="${fallsShort(r) ? 'short' : 'ok'}">${(cells[i] ?? []).map((cell) => `<td>${esc(cellText(cell))}</td>`).join('')}</tr>`,
  );
  const details = detailCells(c).map((row) => `<tr>${row.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`);
  const short = c.rows.filter(fallsShort).length;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(heading)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(heading)}</h1>
<p class="meta">${formatWall(c.period.from, timeZone)} 至 ${formatWall(c.period.to, timeZone)} · 生成于 ${formatWall(c.now, timeZone)} · ${c.rows.length} 个下级单位，${short} 个未达要求</p>
<p class="meta screen">链接有效至 ${formatWall(expiresAt, timeZone)}</p>
<h2>各单位情况</h2>
<table class="circular"><thead><tr>${CIRCULAR_COLUMNS.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>图表：已开/应开（上）与出勤率（下）</h2>
${circularChart(c)}
<h2>督查明细</h2>
<table class="details"><thead><tr>${DETAIL_COLUMNS.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${details.join('\n')}</tbody></table>
<p class="downloads"><a class="xlsx" href="${esc(xlsxHref)}" download>下载 Excel</a><a class="csv" href="${esc(csvHref)}" download>下载 CSV</a></p>
<p class="meta">已开 = 已结束、有签到（或补签）且已交纪要；出勤率 = 实到 ÷ 应出勤（用签到的会议按签到计）；人均积分见各单位「积分排行」。</p>
</main></body></html>
`;
}
