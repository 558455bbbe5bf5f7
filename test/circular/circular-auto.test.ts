/**
 * 自动通报 (issue 15) through the inbound queue's scheduled job (the job the scheduler adds): on the 3rd working day
 * of a month each committee chat gets the circular of the month just ended, once across runs; never on another day
 * or a day off; 设置 自动通报 关 stops it for that chat.
 */
import { circularSizesDue } from '../../src/domain/circular';
import { eventually, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { circularWorld, holdNovember } from './circular-world';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

describe('自动通报', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-03T10:00'));
  let runs = 0;

  beforeEach(async () => {
    clock.t = at('2026-11-03T10:00');
    started = await circularWorld(clock);
  });
  afterEach(async () => {
    await started.stop();
  });

  /** One run of the scheduled check at `wall`, as the job scheduler would add it; resolves with its result. */
  async function checkAt(wall: string): Promise<unknown> {
    clock.t = at(wall);
    runs += 1;
    const job = await started.bot.queues.inbound.add('circular-check', { type: 'circular-check' }, { jobId: `test-circular-${runs}` });
    return eventually(async () => (await job.isCompleted()) && (await started.bot.queues.inbound.getJob(job.id ?? ''))?.returnvalue, 5000, 'the check to run');
  }

  const circulars = async (chat: string): Promise<string[]> =>
    (await new SandboxDriver(started, chat).messages()).filter((m) => m.kind === 'text' && plain(m.text).startsWith('📣 通报')).map((m) => plain(m.text));

  it('should send last month’s circular on the 3rd working day, once, to the committee chats that did not turn it off', async () => {
    const schedulers = await started.bot.queues.inbound.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === 'circular-check').map((s) => s.pattern)).toEqual(['0 9 * * *']);
    await holdNovember(started, clock);
    // The 工委 turns it off (a member may not); the 机关党委 keeps the default.
    const gw = new SandboxDriver(started, 'gw');
    expect(await gw.command('gw-m', '设置 自动通报 关')).toBe('抱歉，只有本群的党务管理员可以修改设置。');
    expect(await gw.command('w1', '设置：自动通报 关')).toBe('已关闭自动通报：本群不再自动收到通报，仍可随时发送「通报 上月」。');
    // Tuesday 1 and Wednesday 2 December are the 1st and 2nd working days; Saturday 5th is a day off.
    expect(await checkAt('2026-12-01T09:00')).toBe('no circular due');
    expect(await checkAt('2026-12-02T09:00')).toBe('no circular due');
    // Thursday 3 December: the 3rd working day.
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 1');
    const sent = await eventually(async () => (await circulars('jg'))[0], 5000, 'the circular');
    expect(sent.split('\n').slice(0, 3)).toEqual([
      '📣 通报 2026年11月 · 市财政局机关党委',
      '共 2 个下级单位，1 个未达要求：第二党支部。',
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
    ]);
    expect(sent).toContain('（自动通报；发送「设置 自动通报 关」可关闭）');
    // Another run that day, another process's: nothing more; the days after: nothing.
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 0');
    expect(await checkAt('2026-12-04T09:00')).toBe('no circular due');
    expect(await checkAt('2026-12-05T09:00')).toBe('no circular due');
    // Give the outbox a moment: still one circular in the 机关党委's chat, none in the 工委's or a 支部's.
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('jg')).toHaveLength(1);
    expect(await circulars('gw')).toEqual([]);
    expect(await circulars('b1')).toEqual([]);
    // Turned on again: the 工委 shows it on.
    expect(await gw.command('w1', '设置 自动通报 开')).toContain('已开启自动通报');
    expect(await gw.command('w1', '设置 自动通报')).toBe('自动通报现在是「开」。设置：设置 自动通报 开，或 设置 自动通报 关');
  });

  it('should add the quarter in January, April, July and October and the year in January, on working days only', () => {
    const weekday = (d: { year: number; month: number; day: number }): boolean => {
      const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
      return w !== 0 && w !== 6 && !(d.month === 1 && d.day === 1);
    };
    // January 2027: Friday 1st is a holiday, Monday 4th, Tuesday 5th, Wednesday 6th.
    expect(circularSizesDue({ year: 2027, month: 1, day: 5 }, weekday)).toEqual([]);
    expect(circularSizesDue({ year: 2027, month: 1, day: 6 }, weekday)).toEqual(['month', 'quarter', 'year']);
    expect(circularSizesDue({ year: 2027, month: 4, day: 5 }, weekday)).toEqual(['month', 'quarter']);
    expect(circularSizesDue({ year: 2027, month: 5, day: 5 }, weekday)).toEqual(['month']);
    expect(circularSizesDue({ year: 2027, month: 5, day: 8 }, weekday)).toEqual([]);
  });
});
