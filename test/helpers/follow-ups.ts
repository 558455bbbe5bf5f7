import type { Job } from 'bullmq';
import type { Bot } from '../../src/bot';
import type { ReminderJob } from '../../src/queue/queues';
import { eventually } from './harness';

/**
 * Run a duty's first pending reminder-queue job now (promoted: BullMQ's delays run on the real clock) and wait until
 * the bot's worker has finished it. That run adds the duty's sign-in window and minutes reminders, which creation
 * leaves for it (src/queue/follow-up-window.ts). The job does what it does when it comes due at the bot's clock: a
 * reminder sends its card, the escalation closes the duty.
 */
export async function runFirstReminder(bot: Bot, dutyId: string, timeoutMs = 8000): Promise<Job<ReminderJob>> {
  const jobs = (await bot.queues.reminders.getDelayed()).filter((j) => j.data.dutyId === dutyId);
  const first = jobs.sort((a, b) => a.data.dueAt - b.data.dueAt)[0];
  if (!first?.id) throw new Error(`no pending reminder job for duty ${dutyId}`);
  await first.promote();
  const id = first.id;
  await eventually(async () => {
    const state = await bot.queues.reminders.getJobState(id);
    return state === 'completed' || state === 'failed' || state === 'unknown';
  }, timeoutMs, `reminder job ${id} to finish`);
  return first;
}
