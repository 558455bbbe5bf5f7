import { keyPrefixes } from '../../src/store/key-prefixes';
import { queueBullPrefix, REMINDER_QUEUE } from '../../src/queue/queues';
import { FakeFeishu } from '../fakes/feishu';
import { textOf } from '../feishu/support';
import { AnswerBurst, burstMembers, expectAnswersKept, failOverMidBurst, killAndRecover, seedMeetings, withBotLog } from './answer-burst';
import { FailoverCluster } from './cluster-failover-support';
import { ClusterStore } from './cluster-support';
import { addFakeChat, BotProcess, duplicates, feishuEnv, freePort, killAll, reminderCards, seedReminders, sleep, successfulPostsByUuid, uniquePrefix, waitFor } from './support';

/**
 * Issue 16, the Sentinel fault test's twin on a Redis Cluster: three masters with a replica each, our own
 * (test/helpers/redis-cluster.sh, REDIS_CLUSTER_REPLICAS=1, cluster-node-timeout 1000 ms); the bot, a child process,
 * reaches it only through REDIS_CLUSTER_NODES. Members answer meeting cards in a burst; the master holding the
 * records' slot (every record key carries the tag `{<prefix>}`, src/store/key-prefixes.ts) is SIGKILLed mid-burst and
 * the cluster promotes its replica by itself (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/):
 * /readyz answers 503, then 200; answers are acknowledged again; every answer acknowledged more than 1 s before the
 * kill is on the promoted replica with its history entry (replication is asynchronous: the last second may be lost).
 * Afterwards a command is answered and reminders queued after the failover are sent once each. Then the master that
 * holds the reminders queue's slot (`{<prefix>:reminders}`) and no record is killed while reminders come due: each is
 * still sent exactly once.
 */
const CHAT = 'oc_clfailover000000000000000001';
const COMMAND_CHAT = 'oc_clfailovercmd00000000000001';
const DUTIES = 100;
const MEMBER_COUNT = 30;
const members = burstMembers('clf', MEMBER_COUNT);
const chatIdOf = (tag: string) => (i: number) => `oc_clf${tag}${String(i).padStart(22, '0')}`;

describe('fault: a Redis Cluster master is SIGKILLed while the bot takes answers and sends reminders', () => {
  const fake = new FakeFeishu();
  let cluster: FailoverCluster | undefined;
  let store: ClusterStore | undefined;

  beforeAll(async () => {
    await fake.start();
    cluster = await FailoverCluster.start();
  }, 60000);

  afterAll(async () => {
    await killAll();
    await store?.close();
    await fake.stop();
    await cluster?.stop();
  });

  it('should fail over to the replicas: /readyz 503 then 200, acknowledged answers kept, commands answered and reminders sent once', async () => {
    if (!cluster) throw new Error('no cluster');
    const world = cluster;
    // A prefix whose reminders queue lives on another master than its records, so each kill hits one of them.
    const mastersOf = async (p: string) => {
      const { records: recordKeys, queues } = keyPrefixes(p, true);
      return { recordsPrefix: recordKeys, records: await world.masterOf(`${recordKeys}:x`), queue: await world.masterOf(`${queueBullPrefix(queues, REMINDER_QUEUE)}:x`) };
    };
    let prefix = uniquePrefix('clfail');
    let masters = await mastersOf(prefix);
    while (masters.queue.port === masters.records.port) masters = await mastersOf((prefix = uniquePrefix('clfail')));
    const { recordsPrefix, records, queue } = masters;
    expect(records.replicas).toHaveLength(1);
    expect(queue.replicas).toHaveLength(1);
    const seed = new ClusterStore(prefix, world.nodes);
    store = seed;
    const duties = await seedMeetings(seed, CHAT, members, DUTIES);

    // REDIS_URL names nothing: every connection must go to the cluster.
    const env = feishuEnv(fake, 'redis://127.0.0.1:1', prefix, { REDIS_CLUSTER_NODES: world.nodes, REMINDER_CONCURRENCY: '20', DEFAULT_QUIET_HOURS: 'off' });
    const bot = new BotProcess('cluster-failover', await freePort(), env);
    await bot.ready(40000);

    // 1. The records' master dies mid-burst.
    const pairs = duties.flatMap((d) => members.map((m) => ({ dutyId: d.id, member: m.id })));
    const burst = new AnswerBurst(bot, CHAT, pairs);
    const times = await failOverMidBurst(bot, burst, () => world.kill(records.port));
    expect(times.down).toBeGreaterThan(times.kill);
    expect(times.up).toBeGreaterThan(times.down);
    const promoted = records.replicas[0] ?? 0;
    expect(await world.role(promoted)).toBe('master');
    expect((await world.masterOf(`${recordsPrefix}:x`, promoted)).port).toBe(promoted);
    expect(bot.alive()).toBe(true);
    // Read back from the promoted replica itself: it holds every record.
    const r = world.node(promoted);
    await expectAnswersKept(r, recordsPrefix, burst, times, 'cluster failover').finally(() => r.disconnect());

    // 2. After the failover: a command is answered, and reminders queued now are sent once each.
    addFakeChat(fake, COMMAND_CHAT, '理论学习小组');
    expect((await bot.say('学习 理论学习 每天上午9点', { chatId: COMMAND_CHAT, fake })).status).toBe(200);
    await waitFor(() => fake.messagesIn(COMMAND_CHAT).map(textOf).some((t) => t.includes('已建立 系列1')), 20000, 'the series reply');
    const after = await seedReminders(seed, fake, { chats: 10, perChat: 1, dueAt: Date.now() + 1500, chatId: chatIdOf('a') });
    await waitFor(() => after.every((d) => reminderCards(fake).some((c) => c.dutyId === d.id)), 20000, 'the reminders queued after the failover');

    // 3. The reminders queue's master (no records) dies while reminders come due (some before the kill, most after).
    const dueAt = Date.now() + 2500;
    const around = await seedReminders(seed, fake, { chats: 20, perChat: 3, dueAt, chatId: chatIdOf('q'), spreadMs: 1000 });
    await sleep(dueAt + 500 - Date.now());
    const second = await killAndRecover(bot, () => world.kill(queue.port));
    expect(second.down).toBeGreaterThan(second.kill);
    expect(second.up).toBeGreaterThan(second.down);
    expect(await world.role(queue.replicas[0] ?? 0)).toBe('master');
    await withBotLog(bot, () => waitFor(() => around.every((d) => reminderCards(fake).some((c) => c.dutyId === d.id)), 40000, 'the reminders due around the second kill', 100));
    await sleep(2000);
    const cards = reminderCards(fake).filter((c) => [...after, ...around].some((d) => d.id === c.dutyId));
    const sentBefore = cards.filter((c) => around.some((d) => d.id === c.dutyId) && c.message.createdAt < second.kill).length;
    const absorbed = [...successfulPostsByUuid(fake, 'rem-').values()].filter((n) => n > 1).length;
    console.log(
      `[faults] cluster failover: queue master killed ${second.kill - dueAt} ms after the first reminders came due; /readyz 503 ${second.down - second.kill} ms and 200 ${second.up - second.kill} ms after; of ${around.length} reminders due around it ${sentBefore} sent before the kill; ${cards.length} reminder cards in all, ${absorbed} repeated sends absorbed by uuid`,
    );
    expect(cards).toHaveLength(after.length + around.length);
    expect(duplicates(cards.map((c) => c.dutyId))).toEqual(new Map());
    expect(bot.alive()).toBe(true);
    expect(await bot.status('/readyz')).toBe(200);

    await bot.kill('SIGTERM');
    expect(bot.lines().some((l) => l.msg === 'stopped')).toBe(true);
  }, 120000);
});
