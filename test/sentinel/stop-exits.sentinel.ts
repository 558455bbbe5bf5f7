import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { removePrefix, uniquePrefix } from '../helpers/harness';

const run = promisify(execFile);

/*
 * A bot on Sentinel lets its process end once stopped. ioredis's failover detector keeps a subscribed connection to
 * every sentinel, which QUIT does not close: a stopped bot kept 15 of them open and its process never ended
 * (src/store/close-connection.ts).
 */
describe('a bot on Sentinel, stopped', () => {
  const prefix = uniquePrefix();

  afterAll(async () => {
    await removePrefix(prefix);
  });

  it('should leave nothing open: its process ends by itself', async () => {
    const started = Date.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'start-stop-child.ts')], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, REDIS_KEY_PREFIX: prefix },
      timeout: 20_000,
    });
    expect(stdout).toContain('stopped');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
