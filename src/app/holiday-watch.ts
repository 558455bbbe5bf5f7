import cron, { type ScheduledTask } from 'node-cron';
import { reminderPoints } from '../domain/reminder-plan';
import type { Logger } from '../logger';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { DutyRepo } from '../store/duty-repo';
import type { WorkingCalendar } from '../time/calendar';
import type { PlanContexts } from './plan-context';

/**
 * Process-local housekeeping (node-cron, never reminders): when `data/holidays/<year>.json` changes, reload the
 * working calendar and re-plan every pending reminder, since quiet days decide when reminders go out.
 */
export class HolidayWatch {
  private task?: ScheduledTask;
  private fingerprint: string;

  constructor(
    private readonly deps: {
      readonly calendar: WorkingCalendar;
      readonly duties: DutyRepo;
      readonly planner: ReminderPlanner;
      readonly contexts: PlanContexts;
      readonly clock: () => number;
      readonly log: Logger;
    },
  ) {
    this.fingerprint = deps.calendar.overrideFingerprint();
  }

  /** Say which years' holidays are guessed (not yet published), then check the files every minute. */
  start(): void {
    const thisYear = new Date(this.deps.clock()).getUTCFullYear();
    const guessed = this.deps.calendar.guessedYears({ from: thisYear, to: thisYear + 1 });
    if (!this.task && guessed.length > 0) {
      this.deps.log.warn({ years: guessed }, `${guessed.join('、')}年的节假日安排尚未收录：按周一至周五推算（含法定节日），可在 data/holidays/<年>.json 补充`);
    }
    this.task ??= cron.schedule('* * * * *', () => {
      this.check().catch((err: unknown) => this.deps.log.error({ err }, 'holiday override check failed'));
    });
  }

  stop(): void {
    void this.task?.stop();
    this.task = undefined;
  }

  /** Reload and re-plan when the files changed; returns the number of duties re-planned. */
  async check(): Promise<number> {
    const now = this.deps.calendar.overrideFingerprint();
    if (now === this.fingerprint) return 0;
    const { calendar, duties, planner, contexts, clock, log } = this.deps;
    const open = await duties.listAllOpen();
    // The old plan's job ids are computed with the old calendar, before it changes.
    const before = await Promise.all(open.map(async (d) => ({ duty: d, points: reminderPoints(d, await contexts.for(d.chat)) })));
    try {
      calendar.reload();
    } catch (err) {
      log.error({ err }, 'holiday override files are invalid: keeping the calendar as it was');
      this.fingerprint = now;
      return 0;
    }
    this.fingerprint = now;
    for (const { duty, points } of before) {
      await planner.removeJobs(points.map((p) => p.jobId));
      await planner.plan(duty, clock());
    }
    log.info({ duties: open.length }, 'holiday overrides changed: reminders re-planned');
    return open.length;
  }
}
