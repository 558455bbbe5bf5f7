import type { Logger } from '../logger';
import type { MinutesPlanner } from '../queue/minutes-planner';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { DutyRepo } from '../store/duty-repo';
import type { MinutesRepo } from '../store/minutes-repo';
import { MAX_DURATION_MINUTES } from '../time/parse-duration';
import { RECONCILE_PAGE } from './reconcile';

/**
 * Plan again the follow-ups of duties already closed: what `replanOpenDuties` (src/app/reconcile.ts) cannot, since it
 * reads only scheduled duties. A meeting's or study session's escalation closes it at its start
 * (src/queue/reminder-worker.ts), after adding its follow-ups (src/queue/follow-up-window.ts); those still due after
 * that are its sign-in window's end (start + 时长, src/queue/signin-planner.ts) and the reminders of missing minutes
 * (from the 3rd to the 6th working day after its end, src/queue/minutes-planner.ts). A restore (`luoshi import`: the
 * queues are not exported) or a Redis that lost its queue keys loses them; the start brings them back here. Reports
 * have neither; cancelled duties none; a duty whose minutes were filed keeps only its window.
 *
 * Which duties: the chats' `all` indexes (every duty, scored by its start) read for the bounded look-back in which a
 * follow-up can still be due, rather than a new index of duties with pending follow-ups, which every creation,
 * cancellation and minutes write would have to keep (the creation script is the hot path: bench/README.md,
 * bench:schedule). The last follow-up is the minutes reminder of the 6th working day after the end, so a duty that
 * ended before `MinutesPlanner.horizonStart` (src/domain/minutes.ts says why) has none left; it started at most
 * MAX_DURATION_MINUTES (the longest 时长 accepted) before it ended. The look-back is read from the same working
 * calendar as the points: typically 9 or 10 days of duties (more across a long holiday), however many older ones.
 * Job ids are deterministic (https://docs.bullmq.io/guide/jobs/job-ids): a job still queued is not added again, and
 * planning twice adds one.
 */
export async function replanClosedFollowUps(
  deps: {
    readonly duties: Pick<DutyRepo, 'closedPages'>;
    readonly minutes: Pick<MinutesRepo, 'getMany'>;
    readonly minutesPlanner: Pick<MinutesPlanner, 'horizonStart'>;
    readonly planner: Pick<ReminderPlanner, 'planClosed'>;
    readonly log: Logger;
  },
  now: number,
): Promise<number> {
  const from = deps.minutesPlanner.horizonStart(now) - MAX_DURATION_MINUTES * 60_000;
  let planned = 0;
  // Closed duties started before now: the escalation that closes a duty runs at or after its start.
  for await (const page of deps.duties.closedPages(from, now, RECONCILE_PAGE)) {
    try {
      const filed = await deps.minutes.getMany(page.map((d) => d.id));
      planned += await deps.planner.planClosed(page, now, new Set(filed.keys()));
    } catch (err) {
      // One bad page must not keep the other duties' follow-ups from coming back.
      deps.log.error({ err, duties: page.map((d) => d.id) }, 'could not re-plan the follow-ups of closed duties at start');
    }
  }
  deps.log.info({ planned, from }, 'follow-ups of closed duties reconciled');
  return planned;
}
