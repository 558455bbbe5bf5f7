import type { Queue } from 'bullmq';
import { signinWindow } from '../domain/signin';
import type { Duty } from '../domain/types';
import { aheadOf, inWindow, type FollowUpWindow } from './follow-up-window';
import type { SigninJob } from './queues';

/** The job id of a duty's window moment: fixed by the duty and the time, so planning again adds nothing. */
export const signinJobId = (dutyId: string, moment: SigninJob['moment'], dueAt: number): string => `signin-${moment}-${dutyId}-${dueAt}`;

/**
 * The jobs of a duty's sign-in window (src/domain/signin.ts): when it opens and when it ends. An opening already
 * past is planned only with 签到码 开 (at once: the organizer must still get the code); else the card shows the
 * window from its first post. A closed (`done`) duty keeps its window: its escalation closes it at its start, and the
 * window ends with the meeting (start + 时长), as src/domain/signin.ts `signinOpen` says; a cancelled one has none.
 */
export function signinJobs(duty: Duty, now: number): { id: string; data: SigninJob; delay: number }[] {
  if (duty.kind === 'report' || duty.state === 'cancelled') return [];
  const w = signinWindow(duty);
  const jobs: { id: string; data: SigninJob; delay: number }[] = [];
  if (w.closes > now && (w.opens > now || duty.signinCode)) {
    jobs.push({ id: signinJobId(duty.id, 'open', w.opens), data: { dutyId: duty.id, moment: 'open', dueAt: w.opens }, delay: Math.max(0, w.opens - now) });
  }
  if (w.closes > now) jobs.push({ id: signinJobId(duty.id, 'end', w.closes), data: { dutyId: duty.id, moment: 'end', dueAt: w.closes }, delay: w.closes - now });
  return jobs;
}

/**
 * Plans each meeting's sign-in window as two delayed jobs, like reminders (src/queue/reminder-planner.ts, which
 * calls this on every plan, replan and unplan): deterministic ids, so planning twice adds nothing; a rescheduled
 * duty's jobs get new ids and the old ones are removed; a cancelled duty's are removed.
 */
export class SigninPlanner {
  constructor(private readonly queue: Queue<SigninJob>) {}

  /**
   * Add the window jobs of `duties` that `window` selects (src/queue/follow-up-window.ts): at creation those due by
   * the duty's first reminder-queue job, from a reminder job those due after it.
   */
  async planMany(duties: readonly Duty[], now: number, window: FollowUpWindow = {}): Promise<number> {
    const jobs = duties
      // Both of a window's jobs come due at or after its opening: one that opens past `until` needs none worked out.
      .filter((d) => (window.until?.get(d.id) ?? Infinity) >= signinWindow(d).opens)
      .flatMap((d) => signinJobs(d, aheadOf(now, window)).filter((j) => inWindow(d, j.data.dueAt, now, window)))
      .map((j) => ({ name: j.data.moment, data: j.data, opts: { jobId: j.id, delay: Math.max(0, j.data.dueAt - now) } }));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return jobs.length;
  }

  async unplan(duty: Duty): Promise<void> {
    const w = signinWindow(duty);
    for (const id of [signinJobId(duty.id, 'open', w.opens), signinJobId(duty.id, 'end', w.closes)]) {
      const job = await this.queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'delayed' || state === 'waiting' || state === 'prioritized') await this.queue.remove(id);
    }
  }
}
