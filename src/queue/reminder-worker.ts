import type { Job } from 'bullmq';
import type { DutyViews } from '../app/duty-views';
import type { PlatformRegistry } from '../app/platform-registry';
import { judgeReminder } from '../domain/reminder-plan';
import type { Logger } from '../logger';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import { reminderJobSchema, type ReminderJob } from './queues';
import { markDeliveryFailed, rethrowForQueue, sendOnce } from './send-once';

export interface ReminderWorkerDeps {
  readonly duties: DutyRepo;
  readonly views: DutyViews;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * Processor of the reminder queue. BullMQ has no misfire policy (bullmq-facts §1 "Due while all workers were
 * down"), so the job is judged against the duty as it is now: sent, or dropped with a log line.
 */
export function reminderProcessor(deps: ReminderWorkerDeps) {
  return async (job: Job<ReminderJob>): Promise<string> => {
    const data = reminderJobSchema.parse(job.data);
    const jobId = job.id ?? '';
    const log = deps.log.child({ jobId, dutyId: data.dutyId });
    const duty = await deps.duties.get(data.dutyId);
    if (!duty) {
      log.warn('reminder for a duty that does not exist: dropped');
      return 'missing';
    }
    const now = deps.clock();
    const verdict = judgeReminder(duty, jobId, now);
    if (verdict !== 'send') {
      const lateBy = now - data.dueAt;
      log.info({ verdict, lateBy }, verdict === 'passed' ? 'reminder came due after the duty’s time: dropped' : 'reminder not sent');
      return verdict;
    }
    try {
      const port = deps.platforms.get(duty.chat.platform);
      const { ref, fresh } = await sendOnce(deps.sent, jobId, async (key) =>
        port.sendCard(duty.chat.chatId, await deps.views.card(duty, now, { reminder: true }), { idempotencyKey: key }),
      );
      await deps.duties.addCard(duty.id, ref);
      if (fresh) log.info({ messageId: ref.messageId, lateBy: now - data.dueAt }, 'reminder sent');
      return fresh ? 'sent' : 'already-sent';
    } catch (err) {
      return rethrowForQueue(err, (e) => markDeliveryFailed(deps.duties, duty.id, e, deps.clock()));
    }
  };
}
