import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Bot } from '../../src/bot';
import { REDIS_URL, removePrefix, testConfig } from '../helpers/harness';

/** At start the bot reads the Redis settings that lose records or double the memory of pending jobs, and warns. */
describe('Redis settings checked at start', () => {
  it('should warn when hash-max-listpack-value is below the shipped 512, and say nothing when it is not', async () => {
    const lines: { level: number; msg: string; hashMaxListpackValue?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    const redis = new Redis(REDIS_URL);
    const [, value] = (await redis.call('CONFIG', 'GET', 'hash-max-listpack-value')) as [string, string];
    const original = Number(value);
    const config = testConfig();
    const start = async (): Promise<void> => {
      const bot = new Bot({ config, log: pino({ level: 'warn' }, sink), workers: false });
      await bot.start(0, '127.0.0.1');
      await bot.stop();
    };
    try {
      await redis.call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
      await start();
      const warning = lines.find((l) => l.hashMaxListpackValue === 64);
      expect(warning?.level).toBe(40);
      expect(warning?.msg).toContain('建议设为 512');
      lines.length = 0;
      await redis.call('CONFIG', 'SET', 'hash-max-listpack-value', '512');
      await start();
      expect(lines.find((l) => l.hashMaxListpackValue !== undefined)).toBeUndefined();
    } finally {
      await redis.call('CONFIG', 'SET', 'hash-max-listpack-value', String(original));
      redis.disconnect();
      await removePrefix(config.REDIS_KEY_PREFIX);
    }
  });
});
