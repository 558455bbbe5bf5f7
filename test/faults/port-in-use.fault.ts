import { createServer, type Server } from 'node:net';
import { FakeFeishu } from '../fakes/feishu';
import { removePrefix } from '../helpers/harness';
import { BotProcess, SHARED_REDIS_URL, feishuEnv, freePort, killAll, uniquePrefix } from './support';

/**
 * Found while restarting the worker process of issue #7.1: when its port is still taken (e.g. by the process it
 * replaces), the bot must stop with main.ts's clear start-up line (`启动失败 (start-up failed): listen EADDRINUSE …`),
 * not crash on an uncaught TypeError from inside express's listen callback.
 */
describe('fault: the HTTP port is already taken at start', () => {
  const prefix = uniquePrefix('port');
  const fake = new FakeFeishu();
  let holder: Server | undefined;

  beforeAll(async () => {
    await fake.start();
  });

  afterAll(async () => {
    await killAll();
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
    await fake.stop();
    await removePrefix(prefix, SHARED_REDIS_URL);
  });

  it('should exit with the clear start-up failure line, not an uncaught TypeError', async () => {
    const port = await freePort();
    const server = createServer();
    holder = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

    const bot = new BotProcess('port-in-use', port, feishuEnv(fake, SHARED_REDIS_URL, prefix));
    const timeout = setTimeout(() => void bot.kill('SIGKILL'), 30000);
    const exit = await bot.exited;
    clearTimeout(timeout);

    expect(exit.code).toBe(1);
    expect(bot.output()).toMatch(/启动失败 \(start-up failed\): listen EADDRINUSE/);
    expect(bot.output()).not.toContain('TypeError');
  }, 40000);
});
