import { Redis } from 'ioredis';
import { eventually, REDIS_URL, startBot, type StartedBot } from '../helpers/harness';

/*
 * Issue 16 item 2, "the bot runs its whole suite on Sentinel": the sentinel suite's bots really are on the sentinels.
 * Their store and queue connections were given the sentinels and the master group's name, not an address
 * (https://github.com/redis/ioredis#sentinel), the master they reached is the one the sentinels name, and what they
 * write is on that master and, through replication, on its replica.
 */
const SENTINELS = (process.env.REDIS_SENTINELS ?? '').split(',').map((v) => ({ host: v.slice(0, v.lastIndexOf(':')), port: Number(v.slice(v.lastIndexOf(':') + 1)) }));
const NAME = process.env.REDIS_SENTINEL_NAME ?? '';

describe('the sentinel suite runs its bots through Redis Sentinel', () => {
  let started: StartedBot;

  beforeAll(async () => {
    started = await startBot();
  });

  afterAll(async () => {
    await started.stop();
  });

  it('should connect through the sentinels to the master they name, and replicate what it writes', async () => {
    expect(SENTINELS).toHaveLength(3);
    const { bot, config, baseUrl } = started;
    // The store's connection and the queues' are sentinel connections to the group, with no address of their own.
    const producers = bot.queues.reminders.opts.connection as { options?: unknown };
    for (const options of [bot.redis.options, producers.options]) {
      expect(options).toMatchObject({ name: NAME, sentinels: SENTINELS });
    }
    // The master the sentinels name (asked of one of them) is the server the bot is connected to.
    const sentinel = new Redis({ host: SENTINELS[0]?.host, port: SENTINELS[0]?.port });
    const master = new Redis(REDIS_URL);
    try {
      const [host, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', NAME)) as [string, string];
      expect(`redis://${host}:${port}`).toBe(REDIS_URL);
      const portOf = (info: string): string | undefined => /^tcp_port:(\d+)/m.exec(info)?.[1];
      expect(portOf(await bot.redis.info('server'))).toBe(port);

      // A console command through the bot's HTTP entry: its record is on the master and reaches the replica.
      const res = await fetch(`${baseUrl}/sandbox/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'branch-1', senderId: 'u1', text: '@落实 会议 支部委员会 明天下午3点' }),
      });
      expect(res.status).toBe(202);
      const pattern = `${config.REDIS_KEY_PREFIX}:duty:*`;
      const onMaster = await eventually(async () => {
        const keys = await master.keys(pattern);
        return keys.length > 0 ? keys : undefined;
      }, 10000, 'the duty on the master');
      const [replicaHost, replicaPort] = ((await sentinel.call('SENTINEL', 'replicas', NAME)) as string[][])[0]?.filter((_, i, a) => a[i - 1] === 'ip' || a[i - 1] === 'port') ?? [];
      const replica = new Redis({ host: replicaHost, port: Number(replicaPort) });
      try {
        await eventually(async () => (await replica.keys(pattern)).length >= onMaster.length || undefined, 5000, 'the duty on the replica');
      } finally {
        replica.disconnect();
      }
    } finally {
      sentinel.disconnect();
      master.disconnect();
    }
  });
});
