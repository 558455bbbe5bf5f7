/**
 * How long working out one meeting's reminder points takes (`pointsToPlan`: its two reminders, the day-of nudge and
 * the escalation, each moved out of the default quiet hours, in Beijing time), alone: 20,000 meetings a minute
 * apart, as bench:schedule plans them. Prints µs a meeting. Run: `npx tsx bench/lib/plan-points-time.ts`.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_QUIET_HOURS, nextAllowed } from '../../src/domain/quiet-hours';
import { pointsToPlan, type PlanContext } from '../../src/domain/reminder-plan';
import type { Duty } from '../../src/domain/types';
import { WorkingCalendar } from '../../src/time/calendar';

const N = 20_000;
const timeZone = 'Asia/Shanghai';
const calendar = new WorkingCalendar();
const quiet = DEFAULT_QUIET_HOURS;
const rules = { quiet, timeZone, isWorkday: (d: { year: number; month: number; day: number }) => calendar.isWorkday(d) };
// As src/app/plan-context.ts builds it.
const ctx: PlanContext = { timeZone, dayOfNudgeMinute: quiet.enabled ? quiet.end : 8 * 60, adjust: (t, duty, options) => nextAllowed(t, duty.at, rules, options) };
const start = Math.ceil((Date.now() + 3 * 86400_000) / 86400_000) * 86400_000;
const meeting = (k: number): Pick<Duty, 'id' | 'at' | 'reminderOffsets' | 'updatedAt'> => ({
  id: `bench${k}`,
  at: start + Math.floor(k / 720) * 86400_000 + (k % 720) * 60_000,
  reminderOffsets: [1440, 60],
  updatedAt: Date.now(),
});

for (let round = 0; round < 3; round++) {
  let points = 0;
  const t0 = performance.now();
  for (let k = 0; k < N; k++) points += pointsToPlan(meeting(k), Date.now(), ctx).length;
  const us = ((performance.now() - t0) * 1000) / N;
  process.stdout.write(`round ${round + 1}: ${us.toFixed(1)} µs a meeting (${(points / N).toFixed(2)} points each)\n`);
}
