/**
 * A bot on the sentinels of the environment (REDIS_SENTINELS, REDIS_SENTINEL_NAME) started and stopped in a process of
 * its own, which then must end by itself: test/sentinel/stop-exits.sentinel.ts. Prints `stopped` once stop() resolved.
 */
import pino from 'pino';
import { Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SANDBOX_DEMO: 'branch' });
  const bot = new Bot({ config, log: pino({ level: 'silent' }) });
  await bot.start(0, '127.0.0.1');
  await bot.stop();
  process.stdout.write('stopped\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
