import type { DutyRecord, MaterialEntry } from '../../app/ledger-service';
import { endOf } from '../../domain/categories';
import type { AttendanceEntry } from '../../domain/attendance';
import { formatWall } from '../../domain/stats-format';
import { esc } from './html';

export interface RecordPageInput {
  readonly record: DutyRecord;
  readonly chatName: string;
  readonly timeZone: string;
  readonly now: number;
  readonly expiresAt: number;
  /** The signed download link of one material (relative), or undefined when files cannot be downloaded. */
  readonly materialHref: (m: MaterialEntry) => string | undefined;
}

/** Screen and A4 print styles (https://developer.mozilla.org/en-US/docs/Web/CSS/@page). */
export const RECORD_STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","SimSun",serif;color:#111;margin:0;background:#fafafa}
main{max-width:800px;margin:0 auto;padding:1.5rem 1rem 3rem;background:#fff}
h1{font-size:1.45rem;text-align:center;margin:.2rem 0 1rem;letter-spacing:.1em}
h2{font-size:1.05rem;margin:1.4rem 0 .5rem;border-left:4px solid #b22;padding-left:.5rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid #999;padding:.4rem .55rem;text-align:left;vertical-align:top}th{background:#f4f4f5;width:6.5em;white-space:nowrap}
.minutes{white-space:pre-wrap;border:1px solid #999;padding:.7rem;min-height:8rem;line-height:1.7}
.none{color:#777}.meta{color:#666;font-size:.85rem}
@page{size:A4;margin:18mm 16mm}
@media print{body{background:#fff}main{max-width:none;padding:0}.meta.screen{display:none}h2{break-after:avoid}tr,.minutes{break-inside:auto}a{color:#111;text-decoration:none}}
`;

const names = (people: readonly AttendanceEntry[]): string =>
  people.length === 0 ? '<span class="none">无</span>' : people.map((p) => esc(p.reason ? `${p.name}（${p.reason}）` : p.name)).join('、');

const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The body of a record (no <html>): the ledger's ZIP can put the same HTML beside the files. Every user string escaped. */
export function recordSection({ record, chatName, timeZone, materialHref }: Omit<RecordPageInput, 'now' | 'expiresAt'>): string {
  const { duty, attendance: a } = record;
  const time = duty.kind === 'report' ? `截止 ${formatWall(duty.at, timeZone)}` : `${formatWall(duty.at, timeZone)} 至 ${formatWall(endOf(duty), timeZone).slice(11)}`;
  const state = duty.state === 'cancelled' ? '（已取消）' : '';
  const rows: [string, string][] = [
    ['名称', `${esc(duty.title)}${state}`],
    ['类别', esc(record.category)],
    ['时间', esc(time)],
    ['地点', duty.place ? esc(duty.place) : '<span class="none">未填写</span>'],
    ['主持人', record.hostName ? esc(record.hostName) : '<span class="none">未填写</span>'],
    ['记录人', esc(record.recorderName)],
    ['党支部', esc(chatName)],
  ];
  const source = a.source === 'signin' ? '以签到为准' : '以报名（参加/请假）为准';
  const attendance: [string, string][] = [
    [`应到 ${a.expected.length} 人`, names(a.expected)],
    [`实到 ${a.present.length} 人`, names(a.present)],
    [`请假 ${a.leave.length} 人`, names(a.leave)],
    [`缺席 ${a.absent.length} 人`, names(a.absent)],
    [`迟到 ${a.late.length} 人`, names(a.late)],
  ];
  const materials =
    record.materials.length === 0
      ? '<p class="none">无</p>'
      : `<ul class="materials">${record.materials
          .map((m) => {
            const href = materialHref(m);
            const label = `${esc(m.name)}（${size(m.size)}）`;
            return `<li>${href ? `<a href="${esc(href)}" download>${label}</a>` : label}</li>`;
          })
          .join('')}</ul>`;
  const minutes = record.minutes
    ? `<div class="minutes">${esc(record.minutes.text)}</div><p class="meta">${esc(record.minutes.by.name)} 于 ${formatWall(record.minutes.at, timeZone)} 提交</p>`
    : '<div class="minutes none">尚未提交纪要</div>';
  return `<h1>${esc(duty.title)} 记录</h1>
<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>
<h2>出席情况</h2>
<table class="attendance"><tbody>${attendance.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>
<p class="meta">出席${source}。</p>
<h2>议题</h2>
${duty.agenda ? `<div class="agenda">${esc(duty.agenda)}</div>` : '<p class="none">未填写</p>'}
<h2>纪要</h2>
${minutes}
<h2>材料</h2>
${materials}`;
}

/** The record page of one duty (记录 #7), printable on A4. */
export function renderRecordPage(input: RecordPageInput): string {
  const { record, timeZone } = input;
  const title = `#${record.duty.number} ${record.duty.title} 记录`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${RECORD_STYLE}</style></head>
<body><main>
${recordSection(input)}
<p class="meta screen">生成于 ${formatWall(input.now, timeZone)} · 链接有效至 ${formatWall(input.expiresAt, timeZone)} · 用浏览器“打印”可输出 A4 纸质记录</p>
</main></body></html>
`;
}
