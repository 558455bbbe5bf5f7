import { AnswerBurst, burstMembers, expectAnswersKept, failOverMidBurst, seedMeetings } from './answer-burst';
import { FakeFeishu } from '../fakes/feishu';
import { Keys } from '../../src/store/keys';
import { MASTER_NAME, SentinelWorld } from './sentinel-support';
import { BotProcess, Store, feishuEnv, freePort, killAll } from './support';

/**
 * Issue 16 item 2: the bot, a child process, reaches Redis only through three sentinels (REDIS_SENTINELS,
 * REDIS_SENTINEL_NAME; REDIS_URL points nowhere). Members answer meeting cards (card callbacks, each acknowledged by
 * the bot) in a burst; the master is SIGKILLed mid-burst; the sentinels promote the replica; the bot reconnects by
 * itself: /readyz answers 503, then 200, and answers are acknowledged again. Every answer acknowledged more than
 * 1 s before the kill is on the promoted master with its history entry (replication is asynchronous: the last
 * second may be lost), and so is every answer acknowledged after the recovery.
 */
const CHAT = 'oc_sentinel00000000000000000001';
const DUTIES = 100;
const MEMBER_COUNT = 30;
const PUSHERS = 4;
const members = burstMembers('snt', MEMBER_COUNT);

describe('fault: the Redis master behind Sentinel is SIGKILLed while the bot takes answers', () => {
  const prefix = 'faults-sentinel';
  const fake = new FakeFeishu();
  let world: SentinelWorld | undefined;

  beforeAll(async () => {
    await fake.start();
    world = await SentinelWorld.start();
  });

  afterAll(async () => {
    await killAll();
    await fake.stop();
    await world?.destroy();
  });

  it('should fail over to the replica: /readyz 503 then 200, answers acknowledged over 1 s before the kill kept, answers taken again', async () => {
    if (!world) throw new Error('no sentinel world');
    const { master, replica } = world;
    const seed = new Store(master.url, prefix);
    const duties = await seedMeetings(seed, CHAT, members, DUTIES).finally(() => seed.close());

    // REDIS_URL names a port nothing listens on: every connection must come from the sentinels.
    const env = feishuEnv(fake, `redis://127.0.0.1:${await freePort()}`, prefix, { REDIS_SENTINELS: world.sentinelList, REDIS_SENTINEL_NAME: MASTER_NAME });
    const bot = new BotProcess('sentinel', await freePort(), env);
    await bot.ready(40000);

    const pairs = duties.flatMap((d) => members.map((m) => ({ dutyId: d.id, member: m.id })));
    const burst = new AnswerBurst(bot, CHAT, pairs, PUSHERS);
    const times = await failOverMidBurst(bot, burst, () => master.kill());
    expect(times.down).toBeGreaterThan(times.kill);
    expect(times.up).toBeGreaterThan(times.down);
    expect(await world.masterPort()).toBe(replica.port);
    expect(bot.alive()).toBe(true);

    // Read back from the promoted replica itself.
    const r = replica.client();
    try {
      expect(await r.call('ROLE').then((role) => (Array.isArray(role) ? role[0] : undefined))).toBe('master');
      await expectAnswersKept(r, new Keys(prefix), burst, times, 'sentinel');
    } finally {
      r.disconnect();
    }
    // SIGTERM still stops it cleanly: every sentinel connection (and its failover listener) closes.
    await bot.kill('SIGTERM');
    expect(bot.lines().some((l) => l.msg === 'stopped')).toBe(true);
  }, 90000);
});
