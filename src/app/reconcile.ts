import type { Logger } from '../logger';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { DutyRepo } from '../store/duty-repo';

/**
 * Plan every open duty again. Job ids are deterministic, so existing jobs are left alone and only lost ones
 * (e.g. the last second of writes before a crash with AOF everysec) come back. Run by `Bot.start` after readiness.
 */
export async function replanOpenDuties(deps: { duties: DutyRepo; planner: ReminderPlanner; log: Logger }, now: number): Promise<number> {
  let planned = 0;
  for (const duty of await deps.duties.listAllOpen()) {
    try {
      planned += await deps.planner.plan(duty, now);
    } catch (err) {
      // One bad record must not keep the bot from starting; it is reported and the rest are planned.
      deps.log.error({ err, dutyId: duty.id }, 'could not re-plan a duty at start');
    }
  }
  deps.log.info({ planned }, 'reminders reconciled');
  return planned;
}
