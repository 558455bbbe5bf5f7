/**
 * 督查 early warnings (issue 15) through the inbound queue's scheduled job (the job the scheduler adds): a unit missing
 * something this month is warned 5 and 2 working days before the month ends, once each, never on a day off or in
 * quiet hours, naming its secretaries.
 */
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);
const ORG = `units:
  - name: 市直机关工委
  - name: 第一党支部
    parent: 市直机关工委
    chat: sandbox:${DEMO_CHAT.id}
`;

describe('督查 early warnings', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-24T10:00'));
  let runs = 0;

  beforeEach(async () => {
    clock.t = at('2026-11-24T10:00');
    started = await startBot({ clock: () => clock.now() });
    await started.bot.services.units.importOrgFile(ORG, 'test', clock.now());
  });
  afterEach(async () => {
    await started.stop();
  });

  /** One run of the scheduled check at `wall`, as the job scheduler would add it; resolves with its result. */
  async function checkAt(wall: string): Promise<unknown> {
    clock.t = at(wall);
    runs += 1;
    const job = await started.bot.queues.inbound.add('compliance-check', { type: 'compliance-check' }, { jobId: `test-check-${runs}` });
    return eventually(async () => (await job.isCompleted()) && (await started.bot.queues.inbound.getJob(job.id ?? ''))?.returnvalue, 5000, 'the check to run');
  }

  const warnings = async (): Promise<string[]> =>
    (await new SandboxDriver(started).messages()).filter((m) => m.kind === 'text' && plain(m.text).startsWith('⏰ 督查预警')).map((m) => plain(m.text));

  it('should warn 5 and 2 working days before the month ends, once each, not in quiet hours or on a day off', async () => {
    // The bot keeps one scheduler for it (the same id from every process).
    const schedulers = await started.bot.queues.inbound.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === 'compliance-check').map((s) => s.pattern)).toEqual(['30 9,14 * * *']);
    // Tuesday 24 November 2026: 24, 25, 26, 27 and 30 November are the working days left.
    expect(await checkAt('2026-11-24T10:00')).toBe('compliance warnings 1');
    const first = await eventually(async () => (await warnings())[0], 5000, 'the warning');
    expect(first).toBe(
      '⏰ 督查预警（第一党支部）：本月尚未开展支委会、主题党日，距月末还有5个工作日；发送「会议 …」安排，开完记得签到并提交纪要（发送「督查」查看详情）。 @王建国',
    );
    // The next hour, and another process's run: nothing more.
    expect(await checkAt('2026-11-24T11:00')).toBe('compliance warnings 0');
    // Wednesday: 4 left, no warning; Friday 27th 22:00 (quiet hours): 2 left but quiet; Saturday: a day off.
    expect(await checkAt('2026-11-25T10:00')).toBe('no warning due');
    expect(await checkAt('2026-11-27T22:00')).toBe('compliance warnings 0');
    expect(await checkAt('2026-11-28T10:00')).toBe('no warning due');
    expect(await warnings()).toHaveLength(1);
    // Friday 27th, 08:00, after the quiet hours: 2 working days left (27 and 30).
    expect(await checkAt('2026-11-27T08:00')).toBe('compliance warnings 1');
    await eventually(async () => (await warnings()).length === 2, 5000, 'the second warning');
    expect((await warnings())[1]).toContain('距月末还有2个工作日');
  });

  it('should warn once when two processes on one Redis run the check at the same moment', async () => {
    const other = await startBot({ clock: () => clock.now(), env: { REDIS_KEY_PREFIX: started.config.REDIS_KEY_PREFIX } });
    try {
      const [a, b] = await Promise.all([started.bot.services.complianceWarnings.run(clock.now()), other.bot.services.complianceWarnings.run(clock.now())]);
      expect([a, b].sort()).toEqual(['compliance warnings 0', 'compliance warnings 1']);
      await eventually(async () => (await warnings()).length === 1, 5000, 'the warning');
      await new Promise((r) => setTimeout(r, 300));
      expect(await warnings()).toHaveLength(1);
    } finally {
      await other.bot.stop();
    }
  });

  it('should run the check again when a warning could not be queued, and warn once', async () => {
    clock.t = at('2026-11-24T10:00');
    // Redis refuses the warning's send job (lost mid-run): its key is given back and the check job fails.
    const add = jest.spyOn(started.bot.queues.cards, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    const job = await started.bot.queues.inbound.add('compliance-check', { type: 'compliance-check' }, { jobId: 'test-check-lost' });
    // BullMQ runs it again after its backoff (src/queue/backoff.ts): this time the warning is queued.
    const done = await eventually(async () => (await job.isCompleted()) && (await started.bot.queues.inbound.getJob(job.id ?? '')), 15000, 'the check to run again');
    expect(done && done.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(done && done.returnvalue).toBe('compliance warnings 1');
    add.mockRestore();
    await eventually(async () => (await warnings()).length === 1, 5000, 'the warning');
    await new Promise((r) => setTimeout(r, 300));
    expect(await warnings()).toHaveLength(1);
  });

  it('should not warn a unit that held or planned what the month asks', async () => {
    const driver = new SandboxDriver(started);
    await driver.command('u1', '会议 支部委员会 11月26日下午3点');
    await driver.command('u1', '会议 主题党日 11月27日上午9点');
    expect(await checkAt('2026-11-24T10:00')).toBe('compliance warnings 0');
  });
});
