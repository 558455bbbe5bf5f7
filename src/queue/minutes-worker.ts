import type { Job } from 'bullmq';
import type { NudgeService } from '../app/nudges';
import type { PlatformRegistry } from '../app/platform-registry';
import { recorderOf } from '../domain/minutes';
import type { Logger } from '../logger';
import type { RichText } from '../platforms/port';
import type { DutyRepo } from '../store/duty-repo';
import type { MinutesRepo } from '../store/minutes-repo';
import type { SentLog } from '../store/sent-log';
import { formatDateTime } from '../time/format';
import type { MinutesPlanner } from './minutes-planner';
import { minutesJobSchema, type MinutesJob } from './queues';
import { rethrowForQueue, sendOnce } from './send-once';

export interface MinutesWorkerDeps {
  readonly duties: DutyRepo;
  readonly minutes: MinutesRepo;
  readonly minutesPlanner: MinutesPlanner;
  readonly nudges: NudgeService;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly superadmins: readonly string[];
  readonly timeZone: string;
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * Processor of the minutes queue: a meeting or study session still without minutes reminds its recorder (steps
 * 1 … 3, once a day), then its organizer and secretaries (step 4), in the chat, each message sent once (the sent log
 * keyed by the job id). A job whose duty is cancelled, has minutes, or was moved (its id no longer among the duty's
 * points) is dropped.
 */
export function minutesProcessor(deps: MinutesWorkerDeps) {
  return async (job: Job<MinutesJob>): Promise<string> => {
    const data = minutesJobSchema.parse(job.data);
    const jobId = job.id ?? '';
    const log = deps.log.child({ jobId, dutyId: data.dutyId });
    const duty = await deps.duties.get(data.dutyId);
    if (!duty) return 'missing';
    if (duty.state === 'cancelled') return 'cancelled';
    if (await deps.minutes.get(duty.id)) return 'has-minutes';
    const point = deps.minutesPlanner.points(duty).find((p) => p.jobId === jobId);
    if (!point) return 'stale';
    const when = formatDateTime(duty.at, deps.timeZone, deps.clock());
    const ask = `请发送「纪要 #${duty.number} <会议记录>」（最多 1 万字）。`;
    let text: RichText;
    if (point.to === 'recorder') {
      const recorder = recorderOf(duty);
      text = [{ mention: recorder }, { text: ` 📝 #${duty.number}「${duty.title}」（${when}）还没有纪要，${ask}` }];
    } else {
      const leaders = await deps.nudges.leaders(duty, deps.superadmins);
      const recorder = recorderOf(duty);
      text = [
        ...leaders.flatMap((m) => [{ mention: m }, { text: ' ' }]),
        { text: `📝 #${duty.number}「${duty.title}」（${when}）结束已多日仍没有纪要，记录人 ${recorder.name} 已提醒 3 天。${ask}` },
      ];
    }
    try {
      const port = deps.platforms.get(duty.chat.platform);
      const { fresh } = await sendOnce(deps.sent, jobId, (key) => port.sendText(duty.chat.chatId, text, { idempotencyKey: key }));
      log.info({ step: point.step, to: point.to }, fresh ? 'minutes reminder sent' : 'minutes reminder already sent');
      return fresh ? `sent-${point.to}` : 'already-sent';
    } catch (err) {
      return rethrowForQueue(err);
    }
  };
}
