import { signinJobId } from '../../src/queue/signin-planner';
import { runFirstReminder } from '../helpers/follow-ups';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { MINUTE, shanghai } from '../handlers/support';

/*
 * A meeting's follow-ups (its sign-in window and the reminders of missing minutes) are added by its reminder-queue
 * jobs when they run, not all at creation (src/queue/follow-up-window.ts): through the console command that creates
 * the meeting and the bot's own reminder worker, with BullMQ's delayed jobs promoted (their delays run on the real
 * clock) and the bot's clock where the job would run.
 */

jest.setTimeout(60_000);

let started: StartedBot;
let driver: SandboxDriver;
const clock = new TestClock(shanghai('2026-11-30T10:00'));

beforeEach(async () => {
  clock.t = shanghai('2026-11-30T10:00');
  started = await startBot({ clock: clock.now, env: { DEFAULT_QUIET_HOURS: 'off' } });
  driver = new SandboxDriver(started);
});
afterEach(async () => {
  await started.stop();
});

const meeting = async (text: string) => {
  expect(await driver.command('u1', text)).toContain('#1');
  const duty = await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, 1);
  if (!duty) throw new Error('no #1');
  return duty;
};
const jobIds = async (queue: 'signin' | 'minutes' | 'reminders'): Promise<string[]> =>
  (await started.bot.queues[queue].getJobs(['delayed', 'waiting', 'active', 'completed'])).map((j) => j.id ?? '').sort();

describe('the follow-ups of a meeting', () => {
  it('should be added by its first reminder, with the ids, times and data they always had, and only once', async () => {
    const duty = await meeting('会议 支部委员会 12月3日下午3点');
    // Created: the two reminders and the escalation, the announcement; no window or minutes jobs yet.
    expect(await jobIds('reminders')).toHaveLength(3);
    expect(await jobIds('signin')).toEqual([]);
    expect(await jobIds('minutes')).toEqual([]);

    // 2 December 15:00, a day before: the first reminder runs and adds them.
    clock.t = shanghai('2026-12-02T15:00');
    await runFirstReminder(started.bot, duty.id);
    const at = shanghai('2026-12-03T15:00');
    expect(await jobIds('signin')).toEqual([signinJobId(duty.id, 'end', at + 120 * MINUTE), signinJobId(duty.id, 'open', at - 30 * MINUTE)]);
    const points = started.bot.services.minutesPlanner.points(duty);
    expect(await jobIds('minutes')).toEqual(points.map((p) => p.jobId).sort());
    const open = await started.bot.queues.signin.getJob(signinJobId(duty.id, 'open', at - 30 * MINUTE));
    expect(open?.data).toEqual({ dutyId: duty.id, moment: 'open', dueAt: at - 30 * MINUTE });
    expect(open?.delay).toBe(at - 30 * MINUTE - clock.t);
    const firstMinutes = await started.bot.queues.minutes.getJob(points[0]?.jobId ?? '');
    expect(firstMinutes?.data).toEqual({ dutyId: duty.id, step: 1, dueAt: points[0]?.dueAt });

    // 3 December 14:00: the next reminder adds nothing new; nor does a start's re-planning.
    clock.t = shanghai('2026-12-03T14:00');
    await runFirstReminder(started.bot, duty.id);
    await started.bot.reconcile();
    expect(await jobIds('signin')).toHaveLength(2);
    expect(await jobIds('minutes')).toHaveLength(4);
    expect(await started.bot.queues.signin.getJobCounts('delayed')).toEqual({ delayed: 2 });
  });

  it('should add at creation what falls due before its first reminder-queue job', async () => {
    // 10:40: the reminder an hour before has passed; the escalation at 10:40 is the first job. The window opens at
    // 10:10, before it: added now. Its end (12:40) and the minutes reminders wait for the escalation.
    const duty = await meeting('会议 党小组会 今天上午10点40分');
    expect(await jobIds('reminders')).toHaveLength(1);
    expect(await jobIds('signin')).toEqual([signinJobId(duty.id, 'open', shanghai('2026-11-30T10:10'))]);
    expect(await jobIds('minutes')).toEqual([]);
    clock.t = shanghai('2026-11-30T10:40');
    await runFirstReminder(started.bot, duty.id);
    expect(await jobIds('signin')).toContain(signinJobId(duty.id, 'end', shanghai('2026-11-30T12:40')));
    expect(await jobIds('minutes')).toHaveLength(4);
  });

  it('should still open the window when the reminder before it runs late (the bot was down), at once', async () => {
    const duty = await meeting('会议 支部委员会 今天中午12点');
    const opens = shanghai('2026-11-30T11:30');
    expect(await jobIds('signin')).toEqual([]);
    expect((await driver.cardsOf(1))[0]?.card.buttons.map((b) => b.label)).toEqual(['参加', '请假']);
    // The 11:00 reminder runs at 11:45: the opening (11:30) is added with no delay and runs, the card gets 签到.
    clock.t = shanghai('2026-11-30T11:45');
    await runFirstReminder(started.bot, duty.id);
    const openId = signinJobId(duty.id, 'open', opens);
    await eventually(async () => (await started.bot.queues.signin.getJobState(openId)) === 'completed', 8000, 'the opening job to run');
    // The announcement, posted at 10:00 without 签到, is patched by the opening (the late reminder's own card was drawn
    // at 11:45 and has it anyway).
    const withSignin = (c: { card: { buttons: readonly { label: string }[] } } | undefined) => c?.card.buttons.some((b) => b.label === '签到') === true;
    await eventually(async () => withSignin((await driver.cardsOf(1))[0]), 8000, 'the announcement patched with 签到');
    expect(await jobIds('signin')).toContain(signinJobId(duty.id, 'end', shanghai('2026-11-30T14:00')));
  });
});
