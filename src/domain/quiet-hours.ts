import { addDays, fromZoned, zonedParts } from '../time/zoned';

/**
 * Quiet hours: no reminder or nudge at night (default 21:00–08:00) or on a day off (after holidays and 调休),
 * unless the duty itself is then. A point that falls in quiet time moves to the next allowed moment. Pure.
 */
export interface QuietHours {
  /** Minutes after midnight. start > end means the window spans midnight (21:00–08:00). */
  readonly start: number;
  readonly end: number;
  readonly enabled: boolean;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: 21 * 60, end: 8 * 60, enabled: true };

export interface QuietContext {
  readonly quiet: QuietHours;
  readonly timeZone: string;
  readonly isWorkday: (date: { year: number; month: number; day: number }) => boolean;
}

const minuteOf = (p: { hour: number; minute: number }): number => p.hour * 60 + p.minute;

const inWindow = (q: QuietHours, m: number): boolean => (q.start > q.end ? m >= q.start || m < q.end : m >= q.start && m < q.end);

/** `21:00-08:00` → minutes; `关` / `off` → disabled. Undefined when unreadable. */
export function parseQuietHours(text: string): QuietHours | undefined {
  const t = text.trim().replace(/[－—~～至到]/g, '-').replace(/：/g, ':');
  if (/^(关|关闭|off|无)$/i.test(t)) return { ...DEFAULT_QUIET_HOURS, enabled: false };
  const m = t.match(/^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$/);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3]), Number(m[4] ?? 0)];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return undefined;
  const start = h1 * 60 + m1;
  const end = (h2 % 24) * 60 + m2;
  if (start === end) return undefined;
  return { start, end, enabled: true };
}

export const formatQuietHours = (q: QuietHours): string => {
  if (!q.enabled) return '关闭';
  const f = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(q.start)}-${f(q.end)}`;
};

function quietBy(t: number, ctx: QuietContext): { night: boolean; dayOff: boolean } {
  if (!ctx.quiet.enabled) return { night: false, dayOff: false };
  const p = zonedParts(t, ctx.timeZone);
  return { night: inWindow(ctx.quiet, minuteOf(p)), dayOff: !ctx.isWorkday(p) };
}

/**
 * The first allowed moment at or after `t`. "Unless the duty itself is then": when the duty falls at night, its
 * points may go out at night; when it falls on a day off (a Saturday study session), its points may go out on
 * days off. Before the duty, a moment that would slip past the duty's time stays where it was: a reminder at
 * night beats no reminder.
 */
export function nextAllowed(t: number, dutyAt: number, ctx: QuietContext, options: { afterDuty?: boolean } = {}): number {
  if (!ctx.quiet.enabled) return t;
  const duty = quietBy(dutyAt, ctx);
  const end = { hour: Math.floor(ctx.quiet.end / 60), minute: ctx.quiet.end % 60 };
  let cur = t;
  for (let i = 0; i < 40; i++) {
    const q = quietBy(cur, ctx);
    const night = q.night && !duty.night;
    const dayOff = q.dayOff && !duty.dayOff;
    if (!night && !dayOff) break;
    const p = zonedParts(cur, ctx.timeZone);
    if (night && minuteOf(p) < ctx.quiet.end) {
      cur = fromZoned({ year: p.year, month: p.month, day: p.day, ...end }, ctx.timeZone);
    } else {
      cur = fromZoned({ ...addDays(p, 1), ...(duty.night ? { hour: 0, minute: 0 } : end) }, ctx.timeZone);
    }
  }
  if (!options.afterDuty && cur >= dutyAt) return t;
  return cur;
}
