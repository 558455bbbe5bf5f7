import { spawn } from 'node:child_process';
import { randomPort, startProcess, stopProcess } from '../helpers/bot-process';
import { eventually, removePrefix, uniquePrefix, REDIS_URL } from '../helpers/harness';

/**
 * Issue 17 "First run": `npm start` with no Redis says once, in plain words, what is missing and how to get it, keeps
 * retrying without a warning line per try, and starts as soon as a Redis appears; logs are readable lines on request.
 */
describe('the first run, as npm start runs the bot', () => {
  const prefix = uniquePrefix();
  afterAll(async () => {
    await removePrefix(prefix);
  });

  it('should say once what is missing when Redis is not there, then start when it appears', async () => {
    const port = randomPort();
    const redisPort = String(Number(randomPort()) + 1);
    const run = startProcess({ PORT: port, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_KEY_PREFIX: prefix, LOG_FORMAT: 'json' });
    let redis: ReturnType<typeof spawn> | undefined;
    try {
      await eventually(async () => run.output().includes('未连接到 Redis'), 20000, 'the first-run notice');
      // Several retries go by (0.5 s, 1 s, 2 s, …) while Redis is still missing.
      await new Promise((r) => setTimeout(r, 4000));
      const out = run.output();
      expect(out.split('未连接到 Redis').length - 1).toBe(1);
      expect(out).toContain(`未连接到 Redis（redis://127.0.0.1:${redisPort}）。Debian/Ubuntu：apt-get install redis-server；或设置 REDIS_URL`);
      // JSON lines at warn (40) or above: the first failure and the first connection error, not one per try.
      const loud = out.split('\n').filter((l) => /"level":(4|5|6)0/.test(l));
      expect(loud.length).toBeLessThanOrEqual(3);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status ?? 503).toBe(503);

      redis = spawn('redis-server', ['--port', redisPort, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 30000, 'readyz after Redis appeared');
      expect(run.output()).toContain('Redis is reachable again');
    } finally {
      await stopProcess(run);
      if (redis && redis.exitCode === null) {
        const gone = new Promise((r) => redis?.once('exit', r));
        redis.kill('SIGKILL');
        await gone;
      }
    }
  }, 60000);

  it('should print readable lines, not JSON, with LOG_FORMAT=pretty', async () => {
    const port = randomPort();
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}p`, LOG_FORMAT: 'pretty' });
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
      await eventually(async () => run.output().includes('落实 is running'), 10000, `the running line (output: ${run.output().slice(-300)})`);
      const lines = run.output().split('\n').filter((l) => l.trim().length > 0);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
      expect(lines.find((l) => l.includes('落实 is running'))).toMatch(/^\S*\[?\d\d:\d\d:\d\d/);
    } finally {
      await stopProcess(run);
      await removePrefix(`${prefix}p`);
    }
  }, 70000);
});
