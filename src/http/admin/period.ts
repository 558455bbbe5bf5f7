import { addDays, fromZoned, toZonedIso } from '../../time/zoned';
import { ProblemError } from './problem';

/** A closed interval of epoch ms; `null` bounds are open (all time), echoed back as null. */
export interface Period {
  readonly from: number;
  readonly to: number;
  readonly fromIso: string | null;
  readonly toIso: string | null;
}

/** The earliest and latest instants a JS Date can hold; safe as Redis scores. */
const MIN_TIME = -8.64e15;
const MAX_TIME = 8.64e15;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `from` / `to` as given in the query: a date is a whole day in the bot's time zone (from its 00:00 to the
 * last millisecond before the next day), a date-time with offset is that instant. Both bounds are inclusive.
 */
export function resolvePeriod(query: { from?: string | undefined; to?: string | undefined }, timeZone: string): Period {
  const from = query.from === undefined ? MIN_TIME : bound(query.from, timeZone, 'start');
  const to = query.to === undefined ? MAX_TIME : bound(query.to, timeZone, 'end');
  if (from > to) throw new ProblemError('invalid-request', '时间段有误：from 不能晚于 to。', { errors: [{ path: 'from', message: 'from 不能晚于 to' }] });
  return {
    from,
    to,
    fromIso: query.from === undefined ? null : toZonedIso(from, timeZone),
    toIso: query.to === undefined ? null : toZonedIso(to, timeZone),
  };
}

function bound(value: string, timeZone: string, side: 'start' | 'end'): number {
  const date = DATE_ONLY.exec(value);
  if (!date) return Date.parse(value);
  const day = { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) };
  if (side === 'start') return fromZoned({ ...day, hour: 0, minute: 0 }, timeZone);
  return fromZoned({ ...addDays(day, 1), hour: 0, minute: 0 }, timeZone) - 1;
}
