import 'dotenv/config';
import { Bot } from './bot';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

/** Start the bot: `npm start`. Stops on SIGINT / SIGTERM after closing the workers, the queues and Redis. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  const bot = new Bot({ config, log });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error('clean stop took over 10 s: exiting');
      process.exit(1);
    }, 10000);
    force.unref();
    bot.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const port = await bot.start();
  const platforms = bot.services.platforms.names().join(', ');
  log.info({ port, platforms, timeZone: config.BOT_TIMEZONE }, `落实 is running on ${platforms}`);
  if (config.sandbox) log.info(`sandbox console: http://localhost:${port}/`);
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败 (start-up failed): ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
