import type { Job } from 'bullmq';
import type { SigninService } from '../app/signin-service';
import { signinWindow } from '../domain/signin';
import type { Logger } from '../logger';
import type { DutyRepo } from '../store/duty-repo';
import type { Outbox } from './outbox';
import { signinJobSchema, type SigninJob } from './queues';
import { rethrowForQueue } from './send-once';

/**
 * Processor of the sign-in queue. At the window's opening the duty's cards are refreshed (the 签到 button appears)
 * and, with 签到码 开, the organizer gets the code one-to-one; at its end the cards are refreshed (the button goes)
 * and the chat gets the attendance summary. A job whose duty was cancelled or moved since is dropped; every send is
 * keyed by the job's moment, so a retried job never sends twice.
 */
export function signinProcessor(deps: { readonly duties: DutyRepo; readonly signin: SigninService; readonly outbox: Outbox; readonly log: Logger }) {
  return async (job: Job<SigninJob>): Promise<string> => {
    const data = signinJobSchema.parse(job.data);
    const log = deps.log.child({ jobId: job.id, dutyId: data.dutyId });
    const duty = await deps.duties.get(data.dutyId);
    if (!duty || duty.state === 'cancelled') return 'dropped';
    const w = signinWindow(duty);
    if ((data.moment === 'open' ? w.opens : w.closes) !== data.dueAt) return 'moved';
    await deps.outbox.refresh(duty.id);
    try {
      if (data.moment === 'open') {
        const sent = duty.signinCode ? await deps.signin.sendCode(duty, `signin-code-${duty.id}-${data.dueAt}`) : false;
        log.info({ codeSent: sent }, 'sign-in opened');
        return 'opened';
      }
      const posted = await deps.signin.postSummary(duty, `signin-summary-${duty.id}-${data.dueAt}`);
      log.info({ posted }, 'sign-in ended');
      return posted ? 'summary' : 'ended';
    } catch (err) {
      return rethrowForQueue(err);
    }
  };
}
