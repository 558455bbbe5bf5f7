import type { Duty } from '../../src/domain/types';
import { shanghai } from '../handlers/support';
import { runFirstReminder } from './follow-ups';
import { eventually, type StartedBot, type TestClock } from './harness';
import { SandboxDriver } from './sandbox-driver';

/** Monday 30 November 2026, 10:00 in Shanghai: the three meetings are created then, that morning. */
export const MORNING = shanghai('2026-11-30T10:00');

export interface ClosedMeetings {
  /** #1 at 10:30, closed by its escalation, no minutes: its window ends at 12:30, its minutes reminders are ahead. */
  readonly closed: Duty;
  /** #2 at 10:40, cancelled before its time: no follow-up. */
  readonly cancelled: Duty;
  /** #3 at 10:50, closed, minutes filed at 11:00: only its window's end (12:50). */
  readonly filed: Duty;
}

/**
 * Three meetings of the console's 第一党支部, brought to their states the way users and the bot's own worker bring
 * them: created and cancelled by command, closed by their escalation jobs (run on the bot's clock), minutes sent by
 * command. Leaves `clock` at 11:00 that day.
 */
export async function closedMeetings(started: StartedBot, clock: TestClock): Promise<ClosedMeetings> {
  const driver = new SandboxDriver(started);
  const chat = { platform: 'sandbox' as const, chatId: driver.chatId };
  const byNumber = async (n: number): Promise<Duty> => {
    const duty = await started.bot.services.duties.getByNumber(chat, n);
    if (!duty) throw new Error(`no #${n}`);
    return duty;
  };
  clock.t = MORNING;
  expect(await driver.command('u1', '会议 支部委员会 今天上午10点30分')).toContain('#1');
  expect(await driver.command('u1', '会议 党小组会 今天上午10点40分')).toContain('#2');
  expect(await driver.command('u1', '会议 组织生活会 今天上午10点50分')).toContain('#3');
  expect(await driver.command('u1', '取消 #2')).toContain('#2');
  clock.t = shanghai('2026-11-30T10:55');
  // Each meeting's only reminder-queue job is its escalation (the reminders before it were past at creation).
  for (const n of [1, 3]) {
    const duty = await byNumber(n);
    await runFirstReminder(started.bot, duty.id);
    await eventually(async () => (await byNumber(n)).state === 'done', 8000, `#${n} closed by its escalation`);
  }
  clock.t = shanghai('2026-11-30T11:00');
  expect(await driver.command('u1', '纪要 #3 会议传达了上级精神，决定下月召开组织生活会。')).toContain('纪要');
  const meetings = { closed: await byNumber(1), cancelled: await byNumber(2), filed: await byNumber(3) };
  expect([meetings.closed.state, meetings.cancelled.state, meetings.filed.state]).toEqual(['done', 'cancelled', 'done']);
  return meetings;
}

/** Ids of the jobs still to run (delayed, waiting, prioritized) of one of the bot's queues, sorted. */
export async function pendingIds(started: StartedBot, queue: 'signin' | 'minutes' | 'reminders'): Promise<string[]> {
  return (await started.bot.queues[queue].getJobs(['delayed', 'waiting', 'prioritized'])).map((j) => j.id ?? '').sort();
}
