import { signinJobId } from '../../src/queue/signin-planner';
import { ask, shanghai } from '../handlers/support';
import { closedMeetings, pendingIds } from '../helpers/closed-meetings';
import { eventually, removePrefix, startBot, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { runFirstReminder } from '../helpers/follow-ups';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

/*
 * The follow-ups of meetings already closed (their sign-in window's end, their reminders of missing minutes) come back
 * through Bot.start() after the queue lost its jobs while the bot was down (src/app/replan-follow-ups.ts): the
 * start-up re-planning of open duties alone never sees a closed duty.
 */

jest.setTimeout(90_000);

describe('the follow-ups of closed meetings after the queue lost its jobs', () => {
  const prefix = uniquePrefix();
  let second: StartedBot | undefined;

  afterEach(async () => {
    await second?.stop();
    await removePrefix(prefix);
  });

  it('should be planned again by the next start, once each, and none for a cancelled meeting or minutes already filed', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' };
    const clock = new TestClock(shanghai('2026-11-30T10:00'));
    const first = await startBot({ clock: clock.now, env });
    const { closed, cancelled, filed } = await closedMeetings(first, clock);
    const windowEnds = [signinJobId(closed.id, 'end', shanghai('2026-11-30T12:30')), signinJobId(filed.id, 'end', shanghai('2026-11-30T12:50'))].sort();
    const minutes = first.bot.services.minutesPlanner.points(closed).map((p) => p.jobId).sort();
    expect(minutes).toHaveLength(4);
    // Planned by the escalations (src/queue/follow-up-window.ts); #3's minutes reminders went with its minutes.
    expect(await pendingIds(first, 'minutes')).toEqual(minutes);
    for (const id of windowEnds) expect(await pendingIds(first, 'signin')).toContain(id);

    // Down, and every job of the queues lost (the records stay).
    await first.bot.stopWorkers();
    for (const queue of [first.bot.queues.reminders, first.bot.queues.signin, first.bot.queues.minutes]) await queue.obliterate({ force: true });
    await first.bot.stop();

    clock.t = shanghai('2026-11-30T11:30');
    second = await startBot({ clock: clock.now, env });
    const started = second;
    await started.bot.reconciled;
    // Both windows' ends, #1's four minutes reminders: nothing for #2 (cancelled), no minutes reminder for #3 (filed).
    expect(await pendingIds(started, 'signin')).toEqual(windowEnds);
    expect(await pendingIds(started, 'minutes')).toEqual(minutes);
    const step1 = await started.bot.queues.minutes.getJob(minutes.find((id) => id.endsWith('-1')) ?? '');
    expect(step1?.data).toEqual({ dutyId: closed.id, step: 1, dueAt: shanghai('2026-12-03T09:00') });
    expect(await pendingIds(started, 'reminders')).toEqual([]);
    for (const queue of ['signin', 'minutes'] as const) {
      expect((await started.bot.queues[queue].getJobs(['delayed', 'waiting', 'prioritized'])).some((j) => j.data.dutyId === cancelled.id)).toBe(false);
    }

    // Planning again (another start's pass) adds nothing.
    await started.bot.reconcile();
    expect(await pendingIds(started, 'signin')).toEqual(windowEnds);
    expect(await pendingIds(started, 'minutes')).toEqual(minutes);
  });

  it('should bring back the window of a closed meeting with 签到码 开 still under way, without sending the code again', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' };
    const clock = new TestClock(shanghai('2026-11-30T10:00'));
    const first = await startBot({ clock: clock.now, env });
    const driver = new SandboxDriver(first);
    expect(await driver.command('u1', '会议 支部委员会 今天上午10点30分 签到码 开')).toContain('#1');
    const codes = async (d: SandboxDriver) => (await d.messages()).filter((m) => m.kind === 'text' && plain(m.text).includes('的签到码：'));
    // The window opened at creation (10:00): the organizer got the code.
    await eventually(async () => (await codes(driver)).length > 0, 8000, 'the code');
    const duty = await first.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, 1);
    clock.t = shanghai('2026-11-30T10:30');
    await runFirstReminder(first.bot, duty?.id ?? '');
    await eventually(async () => (await first.bot.services.duties.get(duty?.id ?? ''))?.state === 'done', 8000, '#1 closed');
    await first.bot.stopWorkers();
    for (const queue of [first.bot.queues.signin, first.bot.queues.minutes]) await queue.obliterate({ force: true });
    await first.bot.stop();

    // 11:30, the meeting under way (its window ends at 12:30): the opening runs again at once, the end is ahead.
    clock.t = shanghai('2026-11-30T11:30');
    second = await startBot({ clock: clock.now, env });
    const started = second;
    await started.bot.reconciled;
    const openId = signinJobId(duty?.id ?? '', 'open', shanghai('2026-11-30T10:00'));
    await eventually(async () => (await started.bot.queues.signin.getJobState(openId)) === 'completed', 8000, 'the opening to run again');
    expect(await pendingIds(started, 'signin')).toEqual([signinJobId(duty?.id ?? '', 'end', shanghai('2026-11-30T12:30'))]);
    // The code was sent once, before: the sent log keeps the opening's second run from sending it again.
    expect(await codes(new SandboxDriver(started))).toHaveLength(1);
    expect((await ask(new SandboxDriver(started), 'u2', '签到 #1')).reply).toBe('#1 需要签到码：请回复「签到 #1 四位签到码」，签到码请向发起人索取。');
  });

  it('should send the minutes reminder it brought back when it comes due', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' };
    const clock = new TestClock(shanghai('2026-11-30T10:00'));
    const first = await startBot({ clock: clock.now, env });
    const { closed } = await closedMeetings(first, clock);
    await first.bot.stopWorkers();
    await first.bot.queues.minutes.obliterate({ force: true });
    await first.bot.stop();

    // Thursday 3 December, 08:00: the first reminder (09:00) is still ahead.
    clock.t = shanghai('2026-12-03T08:00');
    second = await startBot({ clock: clock.now, env });
    const started = second;
    await started.bot.reconciled;
    const [step1] = started.bot.services.minutesPlanner.points(closed);
    const job = await started.bot.queues.minutes.getJob(step1?.jobId ?? '');
    expect(job?.data).toEqual({ dutyId: closed.id, step: 1, dueAt: shanghai('2026-12-03T09:00') });
    clock.t = shanghai('2026-12-03T09:00');
    await job?.promote();
    const driver = new SandboxDriver(started);
    const reminder = async () => (await driver.messages()).filter((m) => m.kind === 'text' && JSON.stringify(m.text).includes('还没有纪要'));
    const sent = await eventually(async () => (await reminder()).length > 0 && reminder(), 8000, 'the minutes reminder');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toEqual(expect.arrayContaining([{ mention: { id: 'u1', name: '王建国' } }]));
  });
});

