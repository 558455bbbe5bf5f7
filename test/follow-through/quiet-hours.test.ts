import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const ms = (iso: string): number => Date.parse(iso);

describe('quiet hours (设置 免打扰)', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  // Friday 2026-11-27 10:00 Beijing time.
  const clock = new TestClock(ms('2026-11-27T10:00:00+08:00'));

  beforeEach(async () => {
    clock.t = ms('2026-11-27T10:00:00+08:00');
    started = await startBot({ clock: () => clock.now() });
    driver = new SandboxDriver(started);
  });
  afterEach(async () => {
    await started.stop();
  });

  const remindIds = async (): Promise<string[]> =>
    (await started.bot.queues.reminders.getDelayed())
      .map((j) => j.id ?? '')
      .filter((id) => id.startsWith('rem-'))
      .sort();

  it('should move a reminder that falls on a weekend to 08:00 on the next working day', async () => {
    // Monday 15:00 meeting, reminded 2 days before → Saturday 15:00, a day off → Monday 08:00.
    await driver.command('u1', '会议 支部委员会 11月30日下午3点 提醒 提前2天');
    const duty = await started.bot.services.duties.getByNumber(chat, 1);
    expect(await remindIds()).toEqual([`rem-${duty?.id}-2880-${ms('2026-11-30T08:00:00+08:00')}`]);
  });

  it('should move a reminder at night to 08:00 the next morning', async () => {
    // Wednesday 09:00 meeting reminded 12 hours before → Tuesday 21:00, quiet → Wednesday 08:00.
    await driver.command('u1', '会议 党小组会 12月2日上午9点 提醒 提前12小时');
    const duty = await started.bot.services.duties.getByNumber(chat, 1);
    expect(await remindIds()).toEqual([`rem-${duty?.id}-720-${ms('2026-12-02T08:00:00+08:00')}`]);
  });

  it('should re-plan pending reminders when a secretary changes the quiet hours', async () => {
    await driver.command('u1', '会议 党小组会 12月2日上午9点 提醒 提前12小时');
    const duty = await started.bot.services.duties.getByNumber(chat, 1);
    expect(await driver.command('u1', '设置 免打扰 22:00-07:00')).toBe('已设置免打扰：22:00-07:00；1 个事项的提醒已重新安排。');
    expect(await remindIds()).toEqual([`rem-${duty?.id}-720-${ms('2026-12-01T21:00:00+08:00')}`]);
    expect(await driver.command('u1', '设置 免打扰')).toBe('本群免打扰时段：22:00-07:00（休息日也不提醒，事项本身在这些时间的除外）');
    expect((await started.bot.services.chats.audit(chat)).map((a) => [a.by, a.what])).toEqual([['u1', '免打扰 22:00-07:00']]);
  });

  it('should refuse a quiet-hours change from a member and bad input, changing nothing', async () => {
    expect(await driver.command('u2', '设置 免打扰 22:00-07:00')).toBe('抱歉，只有本群的党务管理员可以修改设置。');
    expect(await driver.command('u1', '设置 免打扰 晚上')).toBe('没看懂免打扰时段，例如：设置 免打扰 21:00-08:00，或「设置 免打扰 关」');
    expect(await driver.command('u1', '设置 音量 大')).toBe('可以设置：免打扰（现在是 21:00-08:00）、私信催办（开/关），例如：设置 免打扰 21:00-08:00');
    expect(await started.bot.services.chats.audit(chat)).toEqual([]);
  });

  it('should show every change of a duty with 历史', async () => {
    await driver.command('u1', '会议 支部委员会 12月2日上午9点');
    await driver.command('u2', '参加 #1');
    await driver.command('u2', '请假 #1 身体不适');
    await driver.command('u1', '改期 #1 12月3日上午9点');
    const reply = await driver.command('u3', '历史 #1');
    expect(reply.split('\n')).toEqual([
      '#1「支部委员会」的记录：',
      '11月27日（周五）10:00 王建国：发起',
      '11月27日（周五）10:00 李明：未回复 → 参加',
      '11月27日（周五）10:00 李明：参加 → 请假（身体不适）',
      '11月27日（周五）10:00 王建国：改期 12月2日（周三）09:00 → 12月3日（周四）09:00',
    ]);
  });
});
