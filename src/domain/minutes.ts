import { endOf } from './categories';
import type { WorkingCalendar } from '../time/calendar';
import type { CalendarDate } from '../time/date-part';
import { fromZoned, zonedParts } from '../time/zoned';
import type { Duty, Member } from './types';

/** The longest minutes (纪要) a duty keeps, in characters. */
export const MINUTES_MAX_CHARS = 10_000;

/** A duty's minutes (纪要 #7 <文字>): the text, who wrote it and when. A later one replaces it (both stay in the history). */
export interface Minutes {
  readonly text: string;
  readonly by: Pick<Member, 'id' | 'name'>;
  readonly at: number;
}

/** Who writes a duty's minutes: its 记录人, else its organizer. */
export function recorderOf(duty: Pick<Duty, 'recorder' | 'organizer'>): Pick<Member, 'id' | 'name'> {
  return duty.recorder ?? { id: duty.organizer.id, name: duty.organizer.name };
}

export type MinutesRefusal = 'report' | 'cancelled' | 'empty' | 'too-long' | 'not-allowed';

/**
 * Whether `memberId` may write the minutes of `duty` now: the recorder, the organizer or a secretary, on a meeting or
 * study session that is not cancelled, with a text of 1 to MINUTES_MAX_CHARS characters. Pure.
 */
export function judgeMinutes(duty: Duty, memberId: string, secretary: boolean, text: string): MinutesRefusal | undefined {
  if (duty.kind === 'report') return 'report';
  if (duty.state === 'cancelled') return 'cancelled';
  if (!secretary && memberId !== recorderOf(duty).id && memberId !== duty.organizer.id) return 'not-allowed';
  if (text.trim().length === 0) return 'empty';
  if ([...text].length > MINUTES_MAX_CHARS) return 'too-long';
  return undefined;
}

/** The Chinese answer to each refusal. */
export function minutesRefusalText(reason: MinutesRefusal, duty: Pick<Duty, 'number' | 'title' | 'recorder' | 'organizer'>, length = 0): string {
  switch (reason) {
    case 'report':
      return `#${duty.number}「${duty.title}」是报告类事项，不需要纪要；需要的材料请作为附件提交。`;
    case 'cancelled':
      return `#${duty.number}「${duty.title}」已取消，不能写纪要。`;
    case 'empty':
      return `请在编号后写上纪要内容，例如：纪要 #${duty.number} 会议传达了……，讨论了……，决定……`;
    case 'too-long':
      return `纪要最多 ${MINUTES_MAX_CHARS} 字，这次是 ${length} 字。请删减后再发，或把全文作为附件上传。`;
    case 'not-allowed':
      return `只有记录人（${recorderOf(duty).name}）、发起人或书记可以写 #${duty.number} 的纪要。`;
  }
}

/** Working days after a meeting's end before its recorder is reminded of missing minutes. */
export const MINUTES_GRACE_WORKDAYS = 3;
/** Days the recorder is reminded (once a day) before the secretaries are told. */
export const MINUTES_RECORDER_DAYS = 3;
/** Wall-clock hour (in the bot's zone) a minutes reminder goes out. */
export const MINUTES_REMINDER_HOUR = 9;

export interface MinutesPoint {
  /** 1 … MINUTES_RECORDER_DAYS: the recorder; MINUTES_RECORDER_DAYS + 1: the secretaries. */
  readonly step: number;
  readonly to: 'recorder' | 'secretaries';
  readonly dueAt: number;
  readonly jobId: string;
}

/**
 * The job id of one minutes reminder: derived from the duty, its end and the step, so planning twice adds nothing
 * and a rescheduled duty gets new ids (https://docs.bullmq.io/guide/jobs/job-ids).
 */
export const minutesJobId = (dutyId: string, endAt: number, step: number): string => `min-${dutyId}-${endAt}-${step}`;

/**
 * When a meeting or study session still without minutes is reminded of them: at MINUTES_REMINDER_HOUR (in the
 * bot's zone) on the MINUTES_GRACE_WORKDAYS-th working day after the day it ended, and on each of the next working
 * days (the recorder, MINUTES_RECORDER_DAYS times), then the secretaries once. None for reports.
 */
export function minutesPoints(duty: Pick<Duty, 'id' | 'kind' | 'at' | 'durationMinutes'>, calendar: Pick<WorkingCalendar, 'nextWorkday'>, timeZone: string): MinutesPoint[] {
  if (duty.kind === 'report') return [];
  const end = endOf(duty);
  const { year, month, day: d } = zonedParts(end, timeZone);
  let day: CalendarDate = { year, month, day: d };
  for (let i = 0; i < MINUTES_GRACE_WORKDAYS; i += 1) day = calendar.nextWorkday(day);
  const points: MinutesPoint[] = [];
  for (let step = 1; step <= MINUTES_RECORDER_DAYS + 1; step += 1) {
    if (step > 1) day = calendar.nextWorkday(day);
    const dueAt = fromZoned({ ...day, hour: MINUTES_REMINDER_HOUR, minute: 0 }, timeZone);
    points.push({ step, to: step <= MINUTES_RECORDER_DAYS ? 'recorder' : 'secretaries', dueAt, jobId: minutesJobId(duty.id, end, step) });
  }
  return points;
}

/**
 * The earliest end a meeting or study session can have and still have a minutes reminder due after `now`: 00:00 (in
 * the bot's zone) of the (MINUTES_GRACE_WORKDAYS + MINUTES_RECORDER_DAYS)-th working day before today. Its last point
 * (`minutesPoints`, step MINUTES_RECORDER_DAYS + 1) falls on the 6th working day after the day it ended; a duty that
 * ended on a day before that working day has those 6 working days all before today, so every point is past. Read
 * from the same calendar as the points, so a long holiday (春节, 国庆) widens it as it moves the points.
 */
export function minutesHorizonStart(now: number, calendar: Pick<WorkingCalendar, 'previousWorkday'>, timeZone: string): number {
  const { year, month, day: d } = zonedParts(now, timeZone);
  let day: CalendarDate = { year, month, day: d };
  for (let i = 0; i < MINUTES_GRACE_WORKDAYS + MINUTES_RECORDER_DAYS; i += 1) day = calendar.previousWorkday(day);
  return fromZoned({ ...day, hour: 0, minute: 0 }, timeZone);
}
