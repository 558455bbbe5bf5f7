import type { Duty } from '../../src/domain/types';
import type { StartedBot, TestClock } from '../helpers/harness';

/** What the duty store's `create` takes (the fields of a new duty). */
type NewDutyInput = Parameters<StartedBot['bot']['services']['duties']['create']>[0];

/**
 * A duty made as a command would make it, at real time (the sign-in window's jobs are BullMQ delayed jobs, which run on
 * the real clock): the bot's clock set to now, the duty created with `make(now)`, its reminders and sign-in window
 * planned, and (unless `announce` is false) its card posted.
 */
export async function plannedDuty(w: { readonly started: StartedBot; readonly clock: TestClock }, make: (now: number) => NewDutyInput, announce = true): Promise<Duty> {
  const now = Date.now();
  w.clock.t = now;
  const { duties, planner, outbox } = w.started.bot.services;
  const duty = await duties.create(make(now), now);
  await planner.plan(duty, now);
  if (announce) await outbox.announce(duty.id);
  return duty;
}
