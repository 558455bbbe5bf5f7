/**
 * What the 通报 tests on Feishu and DingTalk share: a meeting's time as a member types it, the period word that
 * names the meeting's month at the time of 通报, the 3rd working day (09:00) of the month after, and the rows of a
 * circular card rendered as text. Beijing time, whatever TZ the tests run with.
 */
import { circularSizesDue } from '../../src/domain/circular';
import { addDays, fromZoned, zonedParts } from '../../src/time/zoned';

const TZ = 'Asia/Shanghai';
type Day = { year: number; month: number; day: number };

/** The next whole ten minutes at least 20 minutes after `now`. */
export const meetingAt = (now: number): number => Math.ceil((now + 20 * 60_000) / 600_000) * 600_000;

/** `12月6日14:30` in Beijing time. */
export function meetingWords(at: number): string {
  const p = zonedParts(at, TZ);
  return `${p.month}月${p.day}日${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** `本月` when `now` is in the month of `at`, else `上月` (a test run across midnight at a month's end). */
export function monthWord(at: number, now: number): string {
  const [a, n] = [zonedParts(at, TZ), zonedParts(now, TZ)];
  return a.year === n.year && a.month === n.month ? '本月' : '上月';
}

/** `2026年12月`, the title of the month of `at`. */
export function monthTitle(at: number): string {
  const p = zonedParts(at, TZ);
  return `${p.year}年${p.month}月`;
}

/** 09:00 of the 3rd working day of the month after the month of `at`: the automatic circular's run. */
export function circularRunAfter(at: number, isWorkday: (d: Day) => boolean): number {
  const p = zonedParts(at, TZ);
  let day: Day = p.month === 12 ? { year: p.year + 1, month: 1, day: 1 } : { year: p.year, month: p.month + 1, day: 1 };
  for (let i = 0; i < 15 && circularSizesDue(day, isWorkday).length === 0; i++) day = addDays(day, 1);
  return fromZoned({ ...day, hour: 9, minute: 0 }, TZ);
}
