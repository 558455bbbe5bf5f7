import type { Queue } from 'bullmq';
import { endOf } from '../domain/categories';
import { minutesHorizonStart, minutesPoints } from '../domain/minutes';
import type { Duty } from '../domain/types';
import type { WorkingCalendar } from '../time/calendar';
import { aheadOf, inWindow, type FollowUpWindow } from './follow-up-window';
import type { MinutesJob } from './queues';

/** Work planned beside a duty's reminders, and removed with them (src/queue/reminder-planner.ts). */
export interface DutyFollowUps {
  planMany(duties: readonly Duty[], now: number, window?: FollowUpWindow): Promise<number>;
  unplan(duty: Duty): Promise<number>;
}

/**
 * Plans the reminders of missing minutes as delayed jobs with deterministic ids (src/domain/minutes.ts
 * `minutesPoints`): planning again adds nothing, a rescheduled duty's old jobs are removed and new ones added, a
 * cancelled duty's removed, and minutes arriving remove the rest. The worker (src/queue/minutes-worker.ts) judges
 * each job against the duty and its minutes as they are when it runs, so a job missed by a removal changes nothing.
 */
export class MinutesPlanner implements DutyFollowUps {
  constructor(
    private readonly queue: Queue<MinutesJob>,
    private readonly calendar: WorkingCalendar,
    private readonly timeZone: string,
  ) {}

  points(duty: Duty): ReturnType<typeof minutesPoints> {
    return minutesPoints(duty, this.calendar, this.timeZone);
  }

  /** The earliest end a duty can have and still have a reminder due after `now` (src/domain/minutes.ts). */
  horizonStart(now: number): number {
    return minutesHorizonStart(now, this.calendar, this.timeZone);
  }

  /** Only points still ahead: a duty planned again long after its meeting (start-up) does not remind four times at once. */
  async planMany(duties: readonly Duty[], now: number, window: FollowUpWindow = {}): Promise<number> {
    const jobs = duties
      // Every point comes after the duty's end: a window that stops before it needs no points worked out.
      .filter((d) => d.state !== 'cancelled' && (window.until?.get(d.id) ?? Infinity) > endOf(d))
      .flatMap((duty) =>
        this.points(duty)
          .filter((p) => p.dueAt > aheadOf(now, window) && inWindow(duty, p.dueAt, now, window))
          .map((p) => ({ name: p.to, data: { dutyId: duty.id, step: p.step, dueAt: p.dueAt }, opts: { jobId: p.jobId, delay: Math.max(0, p.dueAt - now) } })),
      );
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return jobs.length;
  }

  async unplan(duty: Duty): Promise<number> {
    let removed = 0;
    for (const p of this.points(duty)) {
      const job = await this.queue.getJob(p.jobId);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'delayed' || state === 'waiting' || state === 'prioritized') removed += await this.queue.remove(p.jobId);
    }
    return removed;
  }
}
