/**
 * Which of a duty's follow-up jobs (its sign-in window, src/queue/signin-planner.ts, and the reminders of missing
 * minutes, src/queue/minutes-planner.ts) are added now.
 *
 * A meeting plans 3 reminder-queue jobs (the reminders and the escalation at its time) and 6 follow-ups that come due
 * later: adding all 9 (and the card) when it is created made a 30-chat campaign's planning cost 10 jobs a meeting
 * (bench/README.md, bench:schedule). So creation adds only the follow-ups due by its first reminder-queue job plus
 * FOLLOW_UP_LEAD_MS (`until`); each reminder-queue job, when it runs, adds the duty's remaining follow-ups first
 * (src/queue/reminder-worker.ts), with the same ids, delays and data as before. A follow-up is therefore added at
 * least FOLLOW_UP_LEAD_MS before it is due, by a job that BullMQ keeps until it has run
 * (https://docs.bullmq.io/guide/retrying-failing-jobs: a stalled or failed job runs again), or at start-up
 * re-planning (src/app/reconcile.ts) for a duty whose reminders are all past. A duty already closed (its escalation
 * ran) whose follow-ups were lost with the queue (a restore, lost queue keys) gets them back at start-up too
 * (src/app/replan-follow-ups.ts).
 */
export const FOLLOW_UP_LEAD_MS = 15 * 60_000;

export interface FollowUpWindow {
  /** The latest due time added now, by duty id; a duty not in the map has no limit. */
  readonly until?: ReadonlyMap<string, number>;
  /**
   * Only jobs due after this time: a reminder job passes its own due time. Those due before it were added at
   * creation or by an earlier job (and may have run and been removed: they must not come back); those due between it
   * and now (a job that ran late, e.g. after the bot was down) are added with no delay and run at once, as BullMQ runs
   * overdue delayed jobs.
   */
  readonly after?: number;
}

/** The moment a planner judges "still ahead" from: the window's `after` when given, else now. */
export const aheadOf = (now: number, window: FollowUpWindow): number => window.after ?? now;

export function inWindow(duty: { readonly id: string }, dueAt: number, now: number, window: FollowUpWindow): boolean {
  if (window.after !== undefined && dueAt <= window.after) return false;
  const until = window.until?.get(duty.id);
  return until === undefined || dueAt <= until;
}
