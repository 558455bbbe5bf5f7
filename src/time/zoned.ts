/**
 * Wall-clock arithmetic in a named time zone, whatever the server's TZ.
 * Pure: built on Intl only, so `TZ=UTC` or `TZ=America/New_York` on the server changes nothing.
 */

export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
}

export interface ZonedParts extends Required<WallTime> {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const HOUR_MS = 3_600_000;

/** Offset of the zone at an instant in whole seconds (as ms), straight from Intl. */
function intlOffsetMs(epochMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Intl is slow (microseconds a call), and offsets change a few times a year at most, so offsets are
 * cached per zone and UTC hour: an hour whose first and last millisecond have the same offset has it
 * throughout. An hour holding a change is never cached and is asked of Intl every time.
 */
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 100_000;

function offsetMs(epochMs: number, timeZone: string): number {
  let hours = offsetCache.get(timeZone);
  if (!hours) {
    hours = new Map();
    offsetCache.set(timeZone, hours);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  const start = intlOffsetMs(hour * HOUR_MS, timeZone);
  if (start !== intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1, timeZone)) return intlOffsetMs(epochMs, timeZone);
  if (hours.size >= MAX_CACHED_HOURS) hours.clear();
  hours.set(hour, start);
  return start;
}

export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const wall = new Date(epochMs + offsetMs(epochMs, timeZone));
  const weekday = wall.getUTCDay();
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/** Offset of the zone from UTC at an instant, in minutes (Asia/Shanghai: +480). */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  return Math.round(offsetMs(epochMs, timeZone) / 60000);
}

/** The instant a wall-clock time in the zone names. Month/day overflow rolls over (Jan 32 → Feb 1). */
export function fromZoned(wall: WallTime, timeZone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  // Two passes settle the offset across DST edges.
  let epoch = guess - offsetMs(guess, timeZone);
  epoch = guess - offsetMs(epoch, timeZone);
  return epoch;
}

/** Calendar date arithmetic on wall dates (no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday (1 = Monday) of a wall date. */
export function weekdayOf(date: { year: number; month: number; day: number }): number {
  const w = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-28T15:00:00+08:00. */
export function toZonedIso(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  const off = zoneOffsetMinutes(epochMs, timeZone);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
