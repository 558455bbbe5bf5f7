/**
 * The preview of a duty read from free writing (issue 12): what the bot understood, what it guessed, and how to
 * go on. Pure.
 *   我理解为：【会议】支部委员会 · 12月7日（周一）15:00 · 三楼会议室 · 提前1天、提前1小时提醒
 */
import { KINDS } from '../domain/duty-kinds';
import type { DutyDraft } from '../store/draft-repo';
import { DRAFT_TTL_SECONDS } from '../store/draft-repo';
import { formatDateTime, formatOffset } from '../time/format';

export function previewText(draft: DutyDraft, guesses: readonly string[], timeZone: string, now: number): string {
  const when = draft.schedule.kind === 'once' ? formatDateTime(draft.schedule.at, timeZone, now) : draft.schedule.description;
  const offsets = draft.offsets ?? KINDS[draft.kind].defaultOffsets;
  const parts = [`【${draft.label}】${draft.title}`, `${KINDS[draft.kind].timeLabel === '截止' ? '截止 ' : ''}${when}`];
  if (draft.place) parts.push(draft.place);
  parts.push(`${offsets.map((o) => `提前${formatOffset(o)}`).join('、')}提醒`);
  if (draft.link) parts.push(draft.link);
  if (draft.notes) parts.push(`备注：${draft.notes}`);
  const guessed = guesses.length > 0 ? `\n（${guesses.join('；')}）` : '';
  const warning = draft.warning ? `\n⚠️ ${draft.warning}` : '';
  return `我理解为：${parts.join(' · ')}${guessed}${warning}\n回复「确认」发起，回复「取消」放弃（${DRAFT_TTL_SECONDS / 60}分钟内有效）。`;
}
