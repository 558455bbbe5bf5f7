import { addDays, fromZoned, zonedParts } from '../time/zoned';
import { quietNow } from './compliance-warning';
import type { QuietContext } from './quiet-hours';

/**
 * When the automatic circular (自动通报, issue 15) goes out: at the run (09:00 on the 3rd working day) unless the
 * chat's quiet hours (设置 免打扰, src/domain/quiet-hours.ts) hold it; then when they end — the same day for quiet
 * hours that end during the day (08:00–10:00, or 22:00–09:30). Quiet hours that last past midnight (08:30–08:00)
 * end on the next working day. Never on a day off: a circular is no duty, no exception applies. Pure.
 */
export function circularSendAt(now: number, ctx: QuietContext): number {
  const end = ctx.quiet.enabled ? { hour: Math.floor(ctx.quiet.end / 60), minute: ctx.quiet.end % 60 } : { hour: 0, minute: 0 };
  let at = now;
  for (let i = 0; i < 40 && quietNow(at, ctx); i++) {
    const p = zonedParts(at, ctx.timeZone);
    const endsToday = ctx.quiet.enabled && ctx.isWorkday(p) && p.hour * 60 + p.minute < ctx.quiet.end;
    at = fromZoned({ ...(endsToday ? { year: p.year, month: p.month, day: p.day } : addDays(p, 1)), ...end }, ctx.timeZone);
  }
  return at;
}
