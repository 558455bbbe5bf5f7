import type { Queue } from 'bullmq';
import type { PlanContexts } from '../app/plan-context';
import { pointsToPlan, reminderPoints, type PlanContext } from '../domain/reminder-plan';
import { chatKey, type ChatRef, type Duty } from '../domain/types';
import type { Logger } from '../logger';
import { FOLLOW_UP_LEAD_MS } from './follow-up-window';
import type { DutyFollowUps } from './minutes-planner';
import { BULK_CHUNK, type ReminderJob } from './queues';
import type { SigninPlanner } from './signin-planner';

/**
 * Plans a duty's reminders as delayed jobs, one per point, with ids derived from the duty, the point and the
 * due time: planning again adds nothing, and a rescheduled duty gets new ids while the old ones are removed.
 */
export class ReminderPlanner {
  constructor(
    private readonly queue: Queue<ReminderJob>,
    private readonly contexts: PlanContexts,
    private readonly log: Logger,
    private readonly onPlanned?: (count: number) => void,
    /** Planned and removed with the reminders: the reminders of missing minutes (src/queue/minutes-planner.ts). */
    private readonly followUps?: DutyFollowUps,
    /** A meeting's sign-in window jobs, planned and removed with its reminders. */
    private readonly signin?: SigninPlanner,
  ) {}

  async plan(duty: Duty, now: number): Promise<number> {
    return this.planMany([duty], now);
  }

  /**
   * Plan many duties at once (`plan` is the case of one): their chats' contexts read in one pipeline and every job
   * added with addBulk, in chunks (one MULTI each). The job ids are deterministic, so planning again adds nothing.
   * Of the follow-ups (sign-in window, minutes reminders) only those due soon after the duty's first reminder-queue
   * job are added; that job adds the rest when it runs (src/queue/follow-up-window.ts). `known`: the chats' contexts
   * when the caller read them already (`contextsOf`, alongside its own reads: DutyService.createMany).
   */
  async planMany(duties: readonly Duty[], now: number, known?: ReadonlyMap<string, PlanContext>): Promise<number> {
    const scheduled = duties.filter((d) => d.state === 'scheduled');
    if (scheduled.length === 0) return 0;
    const contexts = known && scheduled.every((d) => known.has(chatKey(d.chat))) ? known : await this.contexts.forMany(scheduled.map((d) => d.chat));
    const until = new Map<string, number>();
    const jobs = scheduled.flatMap((duty) => {
      const points = pointsToPlan(duty, now, contexts.get(chatKey(duty.chat)));
      if (points.length > 0) until.set(duty.id, Math.min(...points.map((p) => p.dueAt)) + FOLLOW_UP_LEAD_MS);
      return points.map((p) => ({
        name: p.kind,
        data: { dutyId: duty.id, offset: p.offset, dueAt: p.dueAt },
        opts: { jobId: p.jobId, delay: Math.max(0, p.dueAt - now) },
      }));
    });
    await this.signin?.planMany(scheduled, now, { until });
    for (let i = 0; i < jobs.length; i += BULK_CHUNK) await this.queue.addBulk(jobs.slice(i, i + BULK_CHUNK));
    if (jobs.length > 0) this.onPlanned?.(jobs.length);
    await this.followUps?.planMany(scheduled, now, { until });
    return jobs.length;
  }

  /** The plan contexts of these chats (their settings in one pipeline), for `planMany`'s `known`. */
  async contextsOf(chats: readonly ChatRef[]): Promise<Map<string, PlanContext>> {
    return this.contexts.forMany(chats);
  }

  /**
   * A duty's follow-ups due after `after` (the running reminder job's own due time), added by each of its
   * reminder-queue jobs when it runs, before anything else, so a job that then fails or is dropped has still done
   * it (src/queue/follow-up-window.ts). Ids are deterministic: the duty's next job adds nothing new.
   */
  async planFollowUps(duty: Duty, now: number, after: number): Promise<number> {
    const window = { after };
    return ((await this.signin?.planMany([duty], now, window)) ?? 0) + ((await this.followUps?.planMany([duty], now, window)) ?? 0);
  }

  /**
   * The follow-ups still ahead of closed duties (start-up re-planning, src/app/replan-follow-ups.ts): their sign-in
   * window's jobs still to come (its end; with 签到码 开 its opening too, at once, as for an open duty: the code is
   * sent once, keyed in the sent log), and their minutes reminders, but not for those in `filed` (minutes arrived:
   * src/app/minutes-service.ts removed the rest). Same ids as ever, so a job already there is not added twice.
   */
  async planClosed(duties: readonly Duty[], now: number, filed: ReadonlySet<string>): Promise<number> {
    const closed = duties.filter((d) => d.state === 'done');
    const signin = (await this.signin?.planMany(closed, now)) ?? 0;
    return signin + ((await this.followUps?.planMany(closed.filter((d) => !filed.has(d.id)), now)) ?? 0);
  }

  /** Remove every pending job of the duty's plan. A job already running finishes and finds the duty changed. */
  async unplan(duty: Duty, context?: PlanContext): Promise<number> {
    let removed = 0;
    for (const p of reminderPoints(duty, context ?? (await this.contexts.for(duty.chat)))) {
      const job = await this.queue.getJob(p.jobId);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'delayed' || state === 'waiting' || state === 'prioritized') {
        removed += await this.queue.remove(p.jobId);
      }
    }
    await this.followUps?.unplan(duty);
    await this.signin?.unplan(duty);
    this.log.debug({ dutyId: duty.id, removed }, 'reminders removed');
    return removed;
  }

  /** Remove pending jobs by id (those already running or done are left). */
  async removeJobs(ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'delayed' || state === 'waiting' || state === 'prioritized') removed += await this.queue.remove(id);
    }
    return removed;
  }

  async replan(previous: Duty, next: Duty, now: number, previousContext?: PlanContext): Promise<void> {
    await this.unplan(previous, previousContext);
    await this.plan(next, now);
  }
}
