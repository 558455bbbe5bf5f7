/**
 * Issue 12, "Better answers", typed in the sandbox console as a secretary types: a past time is answered as past
 * with the date read, a time not read says what was read, times are whole minutes (reminders fire at :00, not at
 * the seconds of the command), and a likely repeat is created with a warning naming the other.
 */
import { startBot, TestClock } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { ask, CHAT, dutyNo, MINUTE, reminderJobIds, shanghai, type World } from './support';

/** Saturday 5 December 2026, 14:17:53.421 in Shanghai: a moment with seconds and milliseconds. */
const NOW = Date.parse('2026-12-05T14:17:53.421+08:00');

async function startAt(now: number): Promise<World> {
  const clock = new TestClock(now);
  const started = await startBot({ clock: clock.now });
  return { started, clock, driver: new SandboxDriver(started) };
}

describe('better answers (issue 12)', () => {
  let w: World;

  beforeEach(async () => {
    w = await startAt(NOW);
  });

  afterEach(async () => {
    await w.started.stop();
  });

  async function expectNothingCreated(): Promise<void> {
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toHaveLength(0);
    expect(await reminderJobIds(w.started)).toEqual([]);
  }

  describe('a time already past', () => {
    it.each([
      ['会议 支部委员会 昨天下午3点', '12月4日（周五）15:00'],
      ['会议 支部委员会 12月1日下午3点', '12月1日（周二）15:00'],
      ['会议 支部委员会 今天上午9点', '12月5日（周六）09:00'],
      ['会议 支部委员会 上周五', '11月27日（周五）09:00'],
      ['会议 支部委员会 上周五下午3点', '11月27日（周五）15:00'],
      ['会议 支部委员会 前天晚上8点', '12月3日（周四）20:00'],
      ['会议 支部委员会 上个月15号', '11月15日（周日）09:00'],
      ['会议 支部委员会 十一月二十日下午三点', '11月20日（周五）15:00'],
      ['述职 年度述职报告 截止 11月30日', '11月30日（周一）18:00'],
      ['述职 年度述职报告 截止 上个月底', '11月30日（周一）18:00'],
      ['述职 年度述职报告 截止 去年12月1日', '2025年12月1日（周一）18:00'],
    ])('should answer %p with 这个时间已经过去了（%s） and create nothing', async (command, read) => {
      const { reply } = await ask(w.driver, 'u1', command);
      expect(reply).toBe(`这个时间已经过去了（${read}），请换一个将来的时间。`);
      await expectNothingCreated();
    });

    it('should read a month-day more than 3 months back as next year and create it', async () => {
      const { reply } = await ask(w.driver, 'u1', '会议 支部委员会 3月1日下午3点');
      expect(reply).toContain('时间 2027年3月1日（周一）15:00');
      expect((await dutyNo(w.started, 1)).at).toBe(shanghai('2027-03-01T15:00'));
    });

    it('should refuse 改期 to a past time with the date read and leave the duty as it was', async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      const before = await dutyNo(w.started, 1);
      const { reply } = await ask(w.driver, 'u1', '改期 #1 昨天下午3点');
      expect(reply).toBe('这个时间已经过去了（12月4日（周五）15:00），请换一个将来的时间。');
      expect(await dutyNo(w.started, 1)).toEqual(before);
    });

    it('should say a checked time has passed', async () => {
      const { reply } = await ask(w.driver, 'u1', '时间 昨天下午3点');
      expect(reply).toBe('「昨天下午3点」是 12月4日（周五）15:00（已经过去了）');
    });
  });

  describe('a time not read', () => {
    it.each([
      ['会议 支部委员会 12月7日下午', '读到了日期 12月7日，缺少钟点：「下午」后面要写几点，例如：12月7日下午3点'],
      ['会议 支部委员会 下午3点 周五', '没看懂时间「下午3点 周五」：读到了钟点 下午3点，日期 周五 要写在钟点前面，例如：周五下午3点'],
      ['会议 支部委员会 明天的下午3点', '没看懂时间「明天的下午3点」：读到了日期 明天 和钟点 下午3点，「的」没看懂，例如：明天下午3点'],
    ])('should answer %p with what it read and an example from it', async (command, message) => {
      const { reply } = await ask(w.driver, 'u1', command);
      expect(reply).toBe(message);
      await expectNothingCreated();
    });
  });

  describe('whole minutes', () => {
    async function dueTimes(): Promise<number[]> {
      const jobs = await w.started.bot.queues.reminders.getDelayed();
      return jobs.map((j) => (j.data as { dueAt: number }).dueAt);
    }

    it('should make 下午3点 said at 14:17:53.421 exactly 15:00:00.000, with every reminder job due on a whole minute', async () => {
      const { reply } = await ask(w.driver, 'u1', '会议 支部委员会 下午3点 提醒 提前30分钟,提前10分钟');
      expect(reply).toBe('已发起 #1「支部委员会」，时间 12月5日（周六）15:00；将在提前30分钟、提前10分钟提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
      const duty = await dutyNo(w.started, 1);
      expect(duty.at).toBe(shanghai('2026-12-05T15:00'));
      const due = await dueTimes();
      expect(due.sort()).toEqual([duty.at - 30 * MINUTE, duty.at - 10 * MINUTE, duty.at]);
      expect(due.filter((t) => t % MINUTE !== 0)).toEqual([]);
    });

    it('should round 10分钟后 up to 14:28:00, never sooner than asked', async () => {
      await ask(w.driver, 'u1', '会议 碰头会 10分钟后');
      const duty = await dutyNo(w.started, 1);
      expect(duty.at).toBe(shanghai('2026-12-05T14:28'));
      expect(duty.at).toBeGreaterThanOrEqual(NOW + 10 * MINUTE);
      expect((await dueTimes()).filter((t) => t % MINUTE !== 0)).toEqual([]);
    });

    it('should plan whole-minute reminders for 3天后 and for a recurring rule', async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 3天后');
      await ask(w.driver, 'u1', '学习 理论学习 每天下午4点');
      expect((await dutyNo(w.started, 1)).at).toBe(shanghai('2026-12-08T14:17'));
      const due = await dueTimes();
      expect(due.length).toBeGreaterThan(2);
      expect(due.filter((t) => t % MINUTE !== 0)).toEqual([]);
    });
  });

  describe('a likely repeat', () => {
    it('should create the same meeting typed twice and warn the second time, naming the first', async () => {
      const first = await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      expect(first.reply).toBe('已发起 #1「支部委员会」，时间 12月6日（周日）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
      const second = await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      expect(second.reply).toBe('已发起 #2「支部委员会」，时间 12月6日（周日）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #2 党课」。\n⚠️ 与 #1 同名同日；如是重复请「取消 #1」');
      expect((await w.started.bot.services.duties.listOpen(CHAT)).map((d) => d.number).sort((a, b) => a - b)).toEqual([1, 2]);
    });

    it('should warn within a day either way, and not beyond a day, for another title, or after 取消', async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      expect((await ask(w.driver, 'u1', '会议 支部委员会 后天上午9点')).reply).toContain('\n⚠️ 与 #1 同名同日；如是重复请「取消 #1」');
      expect((await ask(w.driver, 'u1', '会议 支部委员会 12月8日下午4点')).reply).not.toContain('⚠️');
      expect((await ask(w.driver, 'u1', '会议 党员大会 明天下午3点')).reply).not.toContain('⚠️');
      await ask(w.driver, 'u1', '取消 #1');
      await ask(w.driver, 'u1', '取消 #2');
      expect((await ask(w.driver, 'u1', '会议 支部委员会 明天下午4点')).reply).not.toContain('⚠️');
    });

    it('should name every duty a new one may repeat', async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 明天上午9点');
      await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      const { reply } = await ask(w.driver, 'u1', '会议 支部委员会 明天下午4点');
      expect(reply).toContain('\n⚠️ 与 #1、#2 同名同日；如是重复请「取消 #1」或「取消 #2」');
    });

    it('should warn about a second series with the same title, naming the first, and create it', async () => {
      const first = await ask(w.driver, 'u1', '学习 理论学习 每月最后一个工作日下午3点');
      expect(first.reply).toContain('已建立 系列1「理论学习」');
      expect(first.reply).not.toContain('同名');
      const second = await ask(w.driver, 'u1', '学习 理论学习 每月第一个工作日下午3点');
      expect(second.reply).toContain('已建立 系列2「理论学习」');
      expect(second.reply).toMatch(/\n⚠️ 与 系列1 同名；如是重复请「停止 系列1」$/);
      expect((await w.started.bot.services.seriesRepo.list(CHAT)).map((s) => s.number)).toEqual([1, 2]);
      await ask(w.driver, 'u1', '停止 系列1');
      expect((await ask(w.driver, 'u1', '学习 理论学习 每周一上午9点')).reply).not.toContain('系列1 同名');
    });

    it('should warn when a series creates an occurrence within a day of a duty with the same title', async () => {
      await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
      const { reply } = await ask(w.driver, 'u1', '会议 支部委员会 每天下午4点');
      expect(reply).toContain('已建立 系列1「支部委员会」');
      expect(reply).toContain('\n⚠️ 与 #1 同名同日；如是重复请「取消 #1」');
    });
  });
});
