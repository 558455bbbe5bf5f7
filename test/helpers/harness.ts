import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Bot } from '../../src/bot';
import { loadConfig, type Config } from '../../src/config';
import type { Logger } from '../../src/logger';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique key prefix per test, so tests can run side by side on one Redis. */
export const uniquePrefix = (): string => `test-${randomUUID().slice(0, 8)}`;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL,
    REDIS_KEY_PREFIX: uniquePrefix(),
    LOG_LEVEL: 'silent',
    PORT: '0',
    // 第一党支部 alone: the full demo's other chats would join every 范围 全部 campaign of the tests that build their own.
    SANDBOX_DEMO: 'branch',
    ...overrides,
  });
}

export const silentLogger = (): Logger => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A controllable clock for domain times (BullMQ delays still run on real time). */
export class TestClock {
  constructor(public t: number) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Delete every key under a prefix (the store's and BullMQ's), on the shared Redis or another local one. */
export async function removePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a Redis the test has just killed: the command fails, the handler keeps quiet
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', '1000');
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface StartedBot {
  readonly bot: Bot;
  readonly port: number;
  readonly baseUrl: string;
  readonly config: Config;
  stop(): Promise<void>;
}

/** Build and start a bot on a free port with its own prefix; `stop()` closes it and removes its keys. */
export async function startBot(options: { clock?: () => number; workers?: boolean; env?: Record<string, string> } = {}): Promise<StartedBot> {
  const config = testConfig(options.env);
  const bot = new Bot({
    config,
    log: silentLogger(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.workers === false ? { workers: false } : {}),
  });
  const port = await bot.start(0, '127.0.0.1');
  return {
    bot,
    port,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await bot.stop();
      await removePrefix(config.REDIS_KEY_PREFIX);
    },
  };
}

/** Poll until `check` returns a value that is not undefined/false, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < until) {
    last = await check();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
