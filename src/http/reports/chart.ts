import type { DutyStats } from '../../domain/stats';
import { dutyNumbers } from '../../domain/stats-card';
import { esc } from './html';

/** Colours of the bar segments, in order; the legend reads them too. */
export const SEGMENTS = {
  attending: { label: '参加', color: '#3a9d5d' },
  onTime: { label: '按时提交', color: '#3a9d5d' },
  leave: { label: '请假', color: '#e6a23c' },
  late: { label: '逾期提交', color: '#e6a23c' },
  missing: { label: '缺席 / 未交', color: '#d9534f' },
  pending: { label: '未回复（未到时间）', color: '#c0c4cc' },
} as const;

const LABEL_W = 230;
const BAR_W = 400;
const RIGHT_W = 190;
const ROW_H = 30;
const BAR_H = 18;

const clip = (text: string, max: number): string => (Array.from(text).length > max ? `${Array.from(text).slice(0, max - 1).join('')}…` : text);

/**
 * Inline SVG: one horizontal bar per duty, as wide as its audience, split into who attended (or submitted on time),
 * who was on leave (or late) and who did not answer. A cancelled duty has an empty grey bar.
 */
export function attendanceChart(duties: readonly DutyStats[]): string {
  const height = Math.max(1, duties.length) * ROW_H + 10;
  const width = LABEL_W + BAR_W + RIGHT_W;
  const rows = duties.map((d, i) => bar(d, i * ROW_H + 5));
  const empty = duties.length === 0 ? `<text x="${LABEL_W}" y="24" class="none">这段时间没有事项</text>` : '';
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="各事项出勤情况">${rows.join('')}${empty}</svg>`;
}

function bar(d: DutyStats, y: number): string {
  const title = `#${d.duty.number} ${d.duty.title}`;
  const label = `<text x="${LABEL_W - 8}" y="${y + 14}" text-anchor="end" class="label">${esc(clip(title, 16))}</text>`;
  const tip = `<title>${esc(`${title}：${d.phase === 'cancelled' ? '已取消' : dutyNumbers(d)}`)}</title>`;
  const frame = `<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#f2f3f5"/>`;
  const attrs = `class="bar" data-number="${d.duty.number}" data-phase="${d.phase}" data-kind="${d.duty.kind}"`;
  if (d.phase === 'cancelled') {
    return `<g ${attrs}>${tip}${label}${frame}<text x="${LABEL_W + 8}" y="${y + 14}" class="note">已取消</text></g>`;
  }
  const report = d.duty.kind === 'report';
  const missing = d.phase === 'past' ? SEGMENTS.missing.color : SEGMENTS.pending.color;
  const parts: [number, string][] = report
    ? [
        [d.onTime, SEGMENTS.onTime.color],
        [d.late, SEGMENTS.late.color],
        [d.pending, missing],
      ]
    : [
        [d.attending, SEGMENTS.attending.color],
        [d.leave, SEGMENTS.leave.color],
        [d.pending, missing],
      ];
  let x = LABEL_W;
  const rects = parts
    .filter(([n]) => n > 0 && d.audience > 0)
    .map(([n, color]) => {
      const w = Math.round((n / d.audience) * BAR_W * 10) / 10;
      const rect = `<rect class="seg" x="${x}" y="${y}" width="${w}" height="${BAR_H}" fill="${color}"/>`;
      x += w;
      return rect;
    });
  const done = report ? d.onTime + d.late : d.attending;
  const right = `${done}/${d.audience} ${report ? '已交' : '参加'}${d.phase === 'upcoming' ? '（未到时间）' : ''}`;
  return `<g ${attrs}>${tip}${label}${frame}${rects.join('')}<text x="${LABEL_W + BAR_W + 8}" y="${y + 14}" class="note">${esc(right)}</text></g>`;
}

export function chartLegend(): string {
  const items = [SEGMENTS.attending, SEGMENTS.leave, SEGMENTS.missing, SEGMENTS.pending].map(
    (s) => `<span><i style="background:${s.color}"></i>${esc(s.label)}</span>`,
  );
  return `<p class="legend">${items.join('')}<span>（报告：绿色按时、橙色逾期）</span></p>`;
}
