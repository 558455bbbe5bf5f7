import { startBot, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

/** A pasted page: what a secretary sends by mistake, 2,000 characters with no time in it. */
const PASTE = '关于做好年度述职评议考核工作的通知各党支部：为深入贯彻落实全面从严治党要求'.repeat(50);

describe('replies quote a person\'s text back cut to a sane length', () => {
  let started: StartedBot;
  let driver: SandboxDriver;

  beforeAll(async () => {
    started = await startBot();
    driver = new SandboxDriver(started);
  });
  afterAll(async () => {
    await started.stop();
  });

  it.each([
    ['a time phrase to check', `时间 ${PASTE}`],
    ['a duty whose time is a pasted page', `会议 支部委员会 ${PASTE}`],
    ['a recurring duty with an unreadable rule', `会议 支部委员会 每周${PASTE}`],
    ['reminder points', `会议 支部委员会 明天下午3点 提醒 ${PASTE}`],
    ['a template name', `启用 ${PASTE}`],
    ['an unknown command', PASTE],
  ])('should answer %s in under 300 characters', async (_what, text) => {
    const reply = await driver.command('u1', text);
    expect(reply.length).toBeLessThan(300);
    expect(reply).not.toContain(PASTE.slice(0, 100));
  });
});
