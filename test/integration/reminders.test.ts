import type { CardModel } from '../../src/domain/card-model';
import type { Member } from '../../src/domain/types';
import type { MessageRef, PlatformPort, RichText, SendOptions } from '../../src/platforms/port';
import { PlatformError } from '../../src/errors';
import { bullKeyPrefix, eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const secretary: Member = { id: 'u1', name: '王建国', platformRole: 'owner' };

/** Reminder cards carry the 提醒 banner; announcement cards do not. */
async function reminderCards(driver: SandboxDriver, number: number) {
  return (await driver.cardsOf(number)).filter((m) => m.card.banner?.includes('提醒'));
}

/** Create a meeting whose one reminder (1 minute before) comes due `dueInMs` from the clock's now. */
async function meetingWithReminderIn(started: StartedBot, clock: TestClock, dueInMs: number) {
  return started.bot.services.dutyService.create(
    { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '支部委员会', at: clock.now() + 60_000 + dueInMs, offsets: [1] },
    clock.now(),
  );
}

describe('reminder delivery (real Redis, real BullMQ)', () => {
  let started: StartedBot;
  let clock: TestClock;
  let driver: SandboxDriver;

  afterEach(async () => {
    await started.stop();
  });

  describe('with the workers running', () => {
    beforeEach(async () => {
      clock = new TestClock(Date.now());
      started = await startBot({ clock: () => clock.now(), env: { DEFAULT_QUIET_HOURS: 'off' } });
      driver = new SandboxDriver(started);
    });

    it('should deliver a reminder planned a few seconds ahead exactly once', async () => {
      const duty = await meetingWithReminderIn(started, clock, 1500);
      const delayed = await started.bot.queues.reminders.getDelayed();
      // One reminder point and the escalation at the duty's time.
      expect(delayed.map((j) => j.id).sort()).toEqual([`esc-${duty.id}-${duty.at}`, `rem-${duty.id}-1-${duty.at - 60_000}`]);
      // Planning again (as at every start) adds nothing.
      await started.bot.reconcile();
      expect(await started.bot.queues.reminders.getDelayedCount()).toBe(2);

      clock.t = Date.now();
      const sent = await eventually(async () => (await reminderCards(driver, duty.number)).length > 0 && reminderCards(driver, duty.number), 8000, 'the reminder');
      expect(sent).toHaveLength(1);
      // The organizer (the secretary, a member of the chat) attends unless they answer otherwise (issue 17).
      expect(sent[0]?.card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await reminderCards(driver, duty.number)).toHaveLength(1);
      expect((await started.bot.queues.reminders.getCompleted()).map((j) => j.id)).toEqual([`rem-${duty.id}-1-${duty.at - 60_000}`]);
    });

    it('should leave no pending job in the delayed set when a duty is cancelled', async () => {
      const duty = await started.bot.services.dutyService.create(
        { chat, organizer: secretary, kind: 'report', label: '述职', title: '年度述职', at: clock.now() + 10 * 86_400_000 },
        clock.now(),
      );
      const ids = (await started.bot.queues.reminders.getDelayed()).map((j) => j.id ?? '');
      expect(ids.filter((id) => id.startsWith('rem-'))).toHaveLength(3);
      expect(ids.filter((id) => id.startsWith('esc-'))).toEqual([`esc-${duty.id}-${duty.at}`]);
      await started.bot.services.dutyService.cancel(chat, duty.number, secretary, clock.now());
      expect(await started.bot.queues.reminders.getDelayedCount()).toBe(0);
      const prefix = `${bullKeyPrefix(started.config, 'reminders')}:reminders:delayed`;
      expect(await started.bot.redis.zcard(prefix)).toBe(0);
      const card = await eventually(async () => {
        const c = await driver.card(duty.number);
        return c.card.banner === '已取消' && c;
      }, 5000, 'the card to show 已取消');
      expect(card.card.buttons).toEqual([]);
      expect(card.card.header.color).toBe('grey');
    });

    it('should replace pending jobs when a duty is rescheduled', async () => {
      const duty = await started.bot.services.dutyService.create(
        { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '党小组会', at: clock.now() + 5 * 86_400_000 },
        clock.now(),
      );
      const before = (await started.bot.queues.reminders.getDelayed()).map((j) => j.id).sort();
      const to = duty.at + 86_400_000;
      await started.bot.services.dutyService.reschedule(chat, duty.number, to, secretary, clock.now());
      const after = (await started.bot.queues.reminders.getDelayed()).map((j) => j.id ?? '').filter((id) => !id.startsWith('ndg-')).sort();
      expect(after).toEqual([`rem-${duty.id}-1440-${to - 1440 * 60_000}`, `rem-${duty.id}-60-${to - 3_600_000}`, `esc-${duty.id}-${to}`].sort());
      expect(after.some((id) => before.includes(id ?? ''))).toBe(false);
    });

    it('should not post twice when a send job is retried after the platform took the message', async () => {
      const sandbox = started.bot.services.platforms.get('sandbox');
      let failures = 0;
      // The platform accepts the card, then the call fails (a timeout on the way back): BullMQ retries the job.
      const flaky: PlatformPort = {
        name: 'sandbox',
        sendCard: async (chatId: string, card: CardModel, options?: SendOptions): Promise<MessageRef> => {
          const ref = await sandbox.sendCard(chatId, card, options);
          if (card.banner?.includes('提醒') && failures === 0) {
            failures += 1;
            throw new PlatformError(false, 'timeout after send');
          }
          return ref;
        },
        updateCard: (ref, card) => sandbox.updateCard(ref, card),
        sendText: (chatId: string, text: RichText, options?: SendOptions) => sandbox.sendText(chatId, text, options),
        listMembers: (chatId) => sandbox.listMembers(chatId),
        mention: (m) => sandbox.mention(m),
      };
      started.bot.services.platforms.register(flaky);
      const duty = await meetingWithReminderIn(started, clock, 800);
      clock.t = Date.now();
      const job = await eventually(async () => {
        const j = await started.bot.queues.reminders.getJob(`rem-${duty.id}-1-${duty.at - 60_000}`);
        // Read again once completed: a job read while active has no return value yet.
        return j && (await j.getState()) === 'completed' && started.bot.queues.reminders.getJob(j.id ?? '');
      }, 10000, 'the retried job to complete');
      expect(failures).toBe(1);
      expect(job.attemptsMade).toBeGreaterThanOrEqual(1);
      expect(await reminderCards(driver, duty.number)).toHaveLength(1);

      // Running the completed job once more (a stalled job re-run) finds the sent log and posts nothing.
      await job.retry('completed');
      await eventually(async () => (await job.getState()) === 'completed' || undefined, 5000, 're-run');
      await new Promise((r) => setTimeout(r, 300));
      expect(await reminderCards(driver, duty.number)).toHaveLength(1);
    });
  });

  describe('with the workers stopped', () => {
    beforeEach(async () => {
      clock = new TestClock(Date.now());
      started = await startBot({ clock: () => clock.now(), workers: false, env: { DEFAULT_QUIET_HOURS: 'off' } });
      driver = new SandboxDriver(started);
    });

    it('should deliver once after start a reminder that came due while the worker was down', async () => {
      const duty = await meetingWithReminderIn(started, clock, 300);
      await new Promise((r) => setTimeout(r, 1000));
      clock.t = Date.now();
      expect(await reminderCards(driver, duty.number)).toHaveLength(0);
      started.bot.startWorkers();
      await started.bot.reconcile();
      const sent = await eventually(async () => (await reminderCards(driver, duty.number)).length > 0 && reminderCards(driver, duty.number), 8000, 'the late reminder');
      expect(sent).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await reminderCards(driver, duty.number)).toHaveLength(1);
    });

    it('should drop with a log line a reminder whose duty time passed while the worker was down', async () => {
      const duty = await meetingWithReminderIn(started, clock, 300);
      await new Promise((r) => setTimeout(r, 800));
      clock.t = duty.at + 1000; // the meeting has started by the time the bot is back
      started.bot.startWorkers();
      const job = await eventually(async () => {
        const j = await started.bot.queues.reminders.getJob(`rem-${duty.id}-1-${duty.at - 60_000}`);
        // Read again once completed: a job read while active has no return value yet.
        return j && (await j.getState()) === 'completed' && started.bot.queues.reminders.getJob(j.id ?? '');
      }, 8000, 'the stale job');
      expect(job.returnvalue).toBe('passed');
      expect(await reminderCards(driver, duty.number)).toHaveLength(0);
    });

    it('should send only the latest of several points that all came due while the worker was down', async () => {
      const duty = await started.bot.services.dutyService.create(
        { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '支部党员大会', at: clock.now() + 3 * 60_000 + 500, offsets: [3, 2] },
        clock.now(),
      );
      // Both points (3 and 2 minutes before) are due by the time the bot is back.
      clock.t = duty.at - 90_000;
      for (const job of await started.bot.queues.reminders.getDelayed()) if (job.id?.startsWith('rem-')) await job.promote();
      started.bot.startWorkers();
      const reminders = await eventually(async () => {
        const jobs = (await started.bot.queues.reminders.getCompleted()).filter((j) => j.id?.startsWith('rem-'));
        return jobs.length === 2 && jobs;
      }, 8000, 'both reminder jobs');
      expect(reminders.map((j) => j.returnvalue).sort()).toEqual(['sent', 'superseded']);
      expect(await reminderCards(driver, duty.number)).toHaveLength(1);
    });
  });
});
