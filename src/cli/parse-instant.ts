/**
 * `--now` values: ISO 8601 with an offset (`2026-09-01T00:00:00+08:00`, `…Z`) names an instant;
 * without one (`2026-09-01T08:30`, `2026-09-01`) it is a wall time in the bot's time zone,
 * never in the server's.
 */
import { isValidDate } from '../time/iso-date';
import { fromZoned } from '../time/zoned';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch ms, or undefined when the text is not a valid ISO 8601 date-time. */
export function parseInstant(text: string, timeZone: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  const zone = m[8];
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (zone === undefined) return fromZoned({ year, month, day, hour, minute, second }, timeZone) + millis;
  if (m[4] === undefined) return undefined; // an offset needs a time: 2026-09-01+08:00 is not ISO 8601
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zone.toUpperCase() === 'Z') return utc;
  const digits = zone.replace(':', '');
  const offsetHours = Number(digits.slice(1, 3));
  const offsetMinutes = Number(digits.slice(3, 5));
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = digits.startsWith('-') ? -1 : 1;
  return utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}
