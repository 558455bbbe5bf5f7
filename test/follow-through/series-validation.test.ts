import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };

describe('a recurring duty is checked before it is stored', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  const clock = new TestClock(Date.parse('2026-11-27T10:00:00+08:00'));

  beforeEach(async () => {
    started = await startBot({ clock: () => clock.now() });
    driver = new SandboxDriver(started);
  });
  afterEach(async () => {
    await started.stop();
  });

  /** Nothing of a refused series may remain: no record, no scheduler, no duty. */
  async function expectNothingStored(): Promise<void> {
    expect(await started.bot.services.seriesRepo.list(chat)).toEqual([]);
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(0);
    expect(await started.bot.services.duties.listOpen(chat)).toEqual([]);
    expect(await driver.command('u1', '系列')).not.toContain('系列1');
  }

  it('should refuse a series whose title is too long and store nothing', async () => {
    const title = '关于认真学习贯彻党的二十届四中全会精神和习近平总书记重要讲话精神的专题学习研讨会暨支部委员会扩大会议第三次全体会议及专题组织生活会';
    expect(title.length).toBeGreaterThan(60);
    const reply = await driver.command('u1', `会议 ${title} 每周一上午9点`);
    expect(reply).toContain('标题太长了');
    await expectNothingStored();
  });

  it('should refuse a series whose link is not http(s) and store nothing', async () => {
    const reply = await driver.command('u1', '学习 理论学习 每周三下午3点 链接 javascript:alert(1)');
    expect(reply).toContain('链接要以 http:// 或 https:// 开头');
    await expectNothingStored();
  });

  it('should still create a valid series after a refused one, numbered 系列1', async () => {
    await driver.command('u1', '学习 理论学习 每周三下午3点 链接 ftp://example.com/a');
    const reply = await driver.command('u1', '学习 理论学习 每周三下午3点 链接 https://example.com/a');
    expect(reply).toContain('已建立 系列1「理论学习」');
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(1);
  });
});
