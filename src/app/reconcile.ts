import type { Logger } from '../logger';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { DutyRepo } from '../store/duty-repo';
import type { SeriesRepo } from '../store/series-repo';
import type { CampaignService } from './campaign-service';

/** Duties planned together: one read of their records, one pipeline of plan contexts, one addBulk. */
export const RECONCILE_PAGE = 200;

/**
 * Plan every open duty again. Job ids are deterministic, so existing jobs are left alone and only lost ones
 * (e.g. the last second of writes before a crash with AOF everysec) come back. Run by `Bot.start` after readiness,
 * a page of duties at a time (bench/README.md, bench:startup T1): the pass never holds every duty at once, and
 * costs three round trips per page instead of two per duty.
 */
export async function replanOpenDuties(deps: { duties: DutyRepo; planner: ReminderPlanner; log: Logger }, now: number): Promise<number> {
  let planned = 0;
  for await (const page of deps.duties.openPages(RECONCILE_PAGE)) {
    try {
      planned += await deps.planner.planMany(page, now);
    } catch (err) {
      // One bad page must not keep the bot from starting: each of its duties is tried alone, the rest go on.
      for (const duty of page) {
        try {
          planned += await deps.planner.plan(duty, now);
        } catch (dutyErr) {
          deps.log.error({ err: dutyErr, dutyId: duty.id, cause: err instanceof Error ? err.message : String(err) }, 'could not re-plan a duty at start');
        }
      }
    }
  }
  deps.log.info({ planned }, 'reminders reconciled');
  return planned;
}

/**
 * What a process stopped half-way may have left (src/store/keys.ts: on a Redis Cluster a chat's records and the
 * indexes across chats live in different slots, so they are written in separate steps): duties and series missing
 * from the global indexes are put back, and campaigns left pending are finished. Run before the re-planning.
 */
export async function repairAfterStop(deps: { duties: DutyRepo; series: SeriesRepo; campaigns: Pick<CampaignService, 'finishPending'>; log: Logger }, now: number): Promise<void> {
  const [open, active] = await Promise.all([deps.duties.repairOpenIndex(), deps.series.repairActiveIndex()]);
  const finished = await deps.campaigns.finishPending(now, (campaignId, err) => deps.log.error({ err, campaignId }, 'could not finish a pending campaign'));
  if (open + active + finished > 0) deps.log.warn({ open, active, finished }, 'repaired what a stopped process left half-written');
}
