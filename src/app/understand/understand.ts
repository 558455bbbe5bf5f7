/**
 * One reading of a message that the strict command forms (README) do not take: a management command as people
 * write it, or a duty written freely. The answer is the strict command line it means, which the handlers run as if
 * it had been typed, plus what was inferred on the way (the create handler previews such a duty). Pure and fast:
 * a few regular expressions and, for a duty, the time grammar over the stretches that can hold a time.
 */
import type { ParseScheduleOptions } from '../../time/parse-schedule';
import { toAsciiWidth } from './normalise';
import { fixTypos, manageWithoutNumber, readManage } from './read-manage';
import { type DutyReading, readDuty } from './read-duty';
import { optionWords } from './read-options';
import { readUnit } from './read-unit';

export type Understood =
  | { readonly kind: 'command'; readonly line: string }
  | { readonly kind: 'duty'; readonly line: string; readonly reading: DutyReading }
  /** `error` when the reader can say precisely what is missing (「明天下午」是几点？). */
  | { readonly kind: 'unclear'; readonly read: readonly string[]; readonly error?: string };

export function understand(message: string, options: ParseScheduleOptions): Understood {
  const text = fixTypos(toAsciiWidth(message).trim().replace(/^[\s,，。：:]+/, ''));
  const unit = readUnit(text);
  if (unit) return { kind: 'command', line: unit };
  const manage = readManage(text);
  if (manage) return { kind: 'command', line: manage };
  const missing = manageWithoutNumber(text);
  if (missing) return { kind: 'unclear', read: [], error: missing };
  const duty = readDuty(text, { ...options, free: true });
  if (duty.ok) return { kind: 'duty', line: dutyLine(duty.reading), reading: duty.reading };
  return { kind: 'unclear', read: duty.read, ...(duty.specific ? { error: duty.error } : {}) };
}

/** The strict command for a duty reading: `会议 「支部委员会」 明天下午3点 地点 三楼会议室 …`. */
export function dutyLine(r: DutyReading): string {
  const quote = /[」]/.test(r.title) ? `“${r.title}”` : `「${r.title}」`;
  const parts = [r.label, quote, r.timePhrase];
  if (r.place) parts.push('地点', r.place);
  if (r.reminders) parts.push('提醒', r.reminders.replace(/\s+/g, ''));
  if (r.link) parts.push('链接', r.link);
  parts.push(...optionWords(r.options));
  if (r.notes) parts.push('备注', r.notes);
  return parts.join(' ');
}
