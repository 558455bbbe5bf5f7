import type { DutyRecord, Ledger } from '../../app/ledger-service';
import { formatWall } from '../../domain/stats-format';
import { esc } from './html';
import { ledgerRow } from './ledger-rows';

export interface LedgerPageInput {
  readonly ledger: Ledger;
  readonly timeZone: string;
  /** When the signed link expires; none in the ZIP's index.html. */
  readonly expiresAt?: number;
  /** A line under the heading (the ZIP's index.html says where the records and files are). */
  readonly intro?: string;
  /** The signed record page of a row (relative). */
  readonly recordHref: (r: DutyRecord) => string;
  /** The workbook; the ZIP of a period without duties has none. */
  readonly xlsxHref?: string;
  /** The ZIP of the period's materials, when served (another part of issue 14). */
  readonly zipHref?: string;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1000px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.8rem 0 .6rem;border-left:4px solid #b22;padding-left:.5rem}
.meta{color:#666;font-size:.9rem;margin:0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:.35rem .5rem;text-align:left}th{background:#f4f4f5}td.n{text-align:right}
td.yes{color:#176b2c;text-align:center}td.no{color:#b22;text-align:center;font-weight:bold}
.downloads a{display:inline-block;margin-right:1rem;padding:.45rem .9rem;border:1px solid #b22;border-radius:4px;color:#b22;text-decoration:none}
@page{size:A4 landscape;margin:14mm}
@media print{body{background:#fff}.downloads,.meta.screen{display:none}a{color:#222;text-decoration:none}h2{break-after:avoid}}
`;

const cell = (v: string | number, cls = 'n'): string => `<td class="${cls}">${esc(v)}</td>`;

/** The ledger page (台账): one table per category (the category table's order), then each member's attendance. */
export function renderLedgerPage({ ledger, timeZone, expiresAt, intro, recordHref, xlsxHref, zipHref }: LedgerPageInput): string {
  const heading = `${ledger.chatName} · ${ledger.period.title} 台账`;
  const groups = ledger.groups.map((g) => {
    const rows = g.records.map((r) => {
      const row = ledgerRow(r, ledger, timeZone);
      const minutesCls = row.minutes === '✓' ? 'yes' : row.minutes === '✗' ? 'no' : '';
      return `<tr data-number="${row.number}"><td>${esc(row.date)}</td><td>#${row.number} ${esc(row.title)}${row.state === '已举行' ? '' : `（${row.state}）`}</td>${cell(row.expected)}${cell(row.present)}${cell(row.leave)}${cell(row.absent)}${cell(row.minutes, minutesCls)}${cell(row.materials)}<td><a href="${esc(recordHref(r))}">记录</a></td></tr>`;
    });
    return `<h2>${esc(g.category)}（${g.records.length}）</h2>
<table class="ledger" data-category="${esc(g.category)}"><thead><tr><th>日期</th><th>名称</th><th>应到</th><th>实到</th><th>请假</th><th>缺席</th><th>纪要</th><th>材料</th><th>记录</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
  });
  const members = ledger.members.map(
    (m) => `<tr data-member="${esc(m.memberId)}"><td>${esc(m.name)}</td>${[m.expected, m.present, m.leave, m.absent, m.late].map((v) => cell(v)).join('')}</tr>`,
  );
  const xlsx = xlsxHref ? `<a class="xlsx" href="${esc(xlsxHref)}" download>下载 Excel（每类一张表、成员出勤）</a>` : '';
  const zip = zipHref ? `<a class="zip" href="${esc(zipHref)}" download>下载全部材料（ZIP）</a>` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(heading)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(heading)}</h1>
<p class="meta">${formatWall(ledger.period.from, timeZone)} 至 ${formatWall(ledger.period.to, timeZone)} · 生成于 ${formatWall(ledger.now, timeZone)}</p>
${expiresAt === undefined ? '' : `<p class="meta screen">链接有效至 ${formatWall(expiresAt, timeZone)}</p>`}${intro ? `\n<p class="meta intro">${esc(intro)}</p>` : ''}
${groups.length === 0 ? '<p class="none">这段时间没有活动。</p>' : groups.join('\n')}
<h2>成员出勤</h2>
<table class="members"><thead><tr><th>成员</th><th>应到</th><th>实到</th><th>请假</th><th>缺席</th><th>迟到</th></tr></thead>
<tbody>${members.join('\n')}</tbody></table>
${xlsx || zip ? `<p class="downloads">${xlsx}${zip}</p>` : ''}
<p class="meta">应到、实到、请假、缺席只计已举行、未取消的活动；未使用签到的活动以报名（参加/请假）为准。纪要 ✗：已举行但尚未提交纪要。</p>
</main></body></html>
`;
}
