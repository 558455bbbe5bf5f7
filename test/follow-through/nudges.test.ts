import type { Member } from '../../src/domain/types';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const secretary: Member = { id: 'u1', name: '王建国', platformRole: 'owner' };
const member = (id: string, name: string): Member => ({ id, name, platformRole: 'member' });
const MIN = 60_000;

describe('nudges and escalation (real Redis, BullMQ, controlled clock)', () => {
  let started: StartedBot;
  let clock: TestClock;
  let driver: SandboxDriver;

  beforeEach(async () => {
    clock = new TestClock(Date.now());
    started = await startBot({ clock: () => clock.now(), env: { DEFAULT_QUIET_HOURS: 'off' } });
    driver = new SandboxDriver(started);
  });
  afterEach(async () => {
    await started.stop();
  });

  /** A meeting in 10 minutes with reminders 9 and 8 minutes before; returns it and a way to fire a job now. */
  async function meeting() {
    const duty = await started.bot.services.dutyService.create(
      { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '支部委员会', at: clock.now() + 10 * MIN, offsets: [9, 8] },
      clock.now(),
    );
    const fire = async (prefix: string, offset?: number) => {
      const job = (await started.bot.queues.reminders.getDelayed()).find((j) => j.id?.startsWith(`${prefix}-${duty.id}-${offset === undefined ? '' : `${offset}-`}`));
      if (!job) throw new Error(`no delayed ${prefix} job`);
      clock.t = job.data.dueAt;
      await job.promote();
      return eventually(async () => {
        const j = await started.bot.queues.reminders.getJob(job.id ?? '');
        // Read again once completed: a job read while active has no return value yet.
        return j && (await j.getState()) === 'completed' && started.bot.queues.reminders.getJob(j.id ?? '');
      }, 8000, `${job.id} to complete`);
    };
    return { duty, fire };
  }

  const botTexts = async (): Promise<string[]> => (await driver.messages()).filter((m) => m.from === null && m.kind === 'text').map((m) => plain(m.text));
  const mentionsOf = async (startsWith: string): Promise<string[][]> =>
    (await driver.messages())
      .filter((m) => m.from === null && m.kind === 'text' && plain(m.text).startsWith(startsWith))
      .map((m) => (m.text ?? []).flatMap((s) => ('mention' in s ? [s.mention.id] : [])));

  it('should nudge exactly the unanswered members at a later reminder point, and not twice within 2 hours', async () => {
    const { duty, fire } = await meeting();
    const { dutyService } = started.bot.services;
    await dutyService.answer(duty.id, member('u2', '李明'), 'attending', clock.now());
    await dutyService.answer(duty.id, member('u3', '张丽'), 'leave', clock.now(), '外出培训');
    expect((await fire('rem', 9)).returnvalue).toBe('sent'); // the first reminder: card only
    expect(await mentionsOf('⏰ 催办')).toEqual([]);
    expect((await fire('rem', 8)).returnvalue).toBe('sent');
    const nudges = await eventually(async () => (await mentionsOf('⏰ 催办')).length > 0 && mentionsOf('⏰ 催办'), 5000, 'the nudge');
    // The organizer u1 attends their own meeting unless they answer otherwise (issue 17): not nudged.
    expect(nudges).toEqual([['u4', 'u5', 'u6']]);

    // A manual 催办 right after mentions nobody again.
    expect(await driver.command('u1', '催办 #1')).toBe('#1 未回复的 3 人两小时内已催办过，请稍后再催。');
    expect(await mentionsOf('⏰ 催办')).toHaveLength(1);
  });

  it('should stop nudging once everyone has answered', async () => {
    const { duty, fire } = await meeting();
    for (const [id, name] of [['u1', '王建国'], ['u2', '李明'], ['u3', '张丽'], ['u4', '刘洋'], ['u5', '陈静'], ['u6', '赵磊']] as const) {
      await started.bot.services.dutyService.answer(duty.id, member(id, name), 'attending', clock.now());
    }
    await fire('rem', 9);
    await fire('rem', 8);
    expect(await mentionsOf('⏰ 催办')).toEqual([]);
    expect(await driver.command('u1', '催办 #1')).toBe('#1 大家都已回复，无需催办。');
    const esc = await fire('esc');
    expect(esc.returnvalue).toBe('closed-all-answered');
    expect((await botTexts()).some((t) => t.includes('📋'))).toBe(false);
  });

  it('should stop nudging a cancelled duty', async () => {
    const { duty, fire } = await meeting();
    const [job] = (await started.bot.queues.reminders.getDelayed()).filter((j) => j.id?.startsWith(`rem-${duty.id}-8-`));
    await started.bot.services.dutyService.cancel(chat, duty.number, secretary, clock.now());
    expect(job && (await started.bot.queues.reminders.getJob(job.id ?? ''))).toBeFalsy();
    await expect(fire('esc')).rejects.toThrow('no delayed esc job');
  });

  it('should send the organizer and secretaries a summary of who did not answer and who is on leave, then close the duty', async () => {
    const { duty, fire } = await meeting();
    await started.bot.services.chats.addSecretary(chat, 'u2');
    await started.bot.services.dutyService.answer(duty.id, member('u3', '张丽'), 'leave', clock.now(), '外出培训');
    await started.bot.services.dutyService.answer(duty.id, member('u4', '刘洋'), 'attending', clock.now());
    const esc = await fire('esc');
    expect(esc.returnvalue).toBe('escalated');
    const summary = (await driver.messages()).find((m) => m.from === null && plain(m.text).includes('📋'));
    expect((summary?.text ?? []).flatMap((s) => ('mention' in s ? [s.mention.id] : [])).sort()).toEqual(['u1', 'u2']);
    const text = plain(summary?.text);
    // The organizer 王建国 counts as attending (issue 17): 刘洋 and him.
    expect(text).toContain('已开始：参加 2 · 请假 1 · 未回复 3');
    expect(text).toContain('未回复：李明、陈静、赵磊');
    expect(text).toContain('请假：张丽（外出培训）');
    expect((await started.bot.services.duties.get(duty.id))?.state).toBe('done');
  });

  it('should list late reports at the deadline and keep a late submission marked late', async () => {
    const report = await started.bot.services.dutyService.create(
      { chat, organizer: secretary, kind: 'report', label: '述职', title: '年度述职报告', at: clock.now() + 10 * MIN, offsets: [9] },
      clock.now(),
    );
    await started.bot.services.dutyService.answer(report.id, member('u2', '李明'), 'submitted', clock.now());
    const job = (await started.bot.queues.reminders.getDelayed()).find((j) => j.id?.startsWith(`esc-${report.id}`));
    clock.t = report.at + 1000;
    await job?.promote();
    const summary = await eventually(async () => (await botTexts()).find((t) => t.includes('📋')), 8000, 'the summary');
    expect(summary).toContain('已截止：已提交 1 · 未提交 5');
    expect(summary).toContain('逾期未交：王建国、张丽、刘洋、陈静、赵磊');
    clock.advance(3600_000);
    expect(await driver.command('u3', `已提交 #${report.number}`)).toBe('张丽：已登记提交 #1（已过截止时间，记为逾期）');
    expect((await started.bot.services.duties.answers(report.id)).get('u3')).toMatchObject({ status: 'submitted', late: true });
  });
});
