import type { Cluster } from 'ioredis';
import type { Duty } from '../../src/domain/types';
import { clusterKeys, CLUSTER_NODES, openCluster, removeFromCluster } from '../cluster/cluster-env';
import { FakeFeishu } from '../fakes/feishu';
import { textOf } from '../feishu/support';
import { ClusterStore } from './cluster-support';
import { addFakeChat, announceCards, BotProcess, duplicates, feishuChat, feishuEnv, freePort, killAll, nineOClocks, reminderCards, seedReminders, sleep, uniquePrefix, waitFor } from './support';

/**
 * Issue 16 item 5: two bot processes side by side on one Redis Cluster (test/helpers/redis-cluster.sh, 3 masters)
 * and one prefix, as two-processes.fault.ts does on one Redis. A burst of reminders seeded over 100 chats is shared
 * by both workers and each is sent once; a daily series created through one process gets each occurrence in view
 * (48 h) created once, across a restart of the other process, with one announcement card per duty; and every key
 * the processes wrote carries the prefix's hash tag (src/store/key-prefixes.ts).
 */
const SERIES_CHAT = 'oc_clustertwin0000000000000001';
const CHATS = 100;
const PER_CHAT = 3;
const TOTAL = CHATS * PER_CHAT;
const DAY = 86_400_000;
const LEAD = 2 * DAY;
const chatIdOf = (i: number): string => `oc_cltwin${String(i).padStart(24, '0')}`;

describe('fault: two bot processes side by side on one Redis Cluster and prefix', () => {
  const prefix = uniquePrefix('cltwin');
  const fake = new FakeFeishu();
  let store: ClusterStore;
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await openCluster();
    await fake.start();
    store = new ClusterStore(prefix);
  });
  afterAll(async () => {
    await killAll();
    await store.close();
    await fake.stop();
    await removeFromCluster(cluster, prefix);
    cluster.disconnect();
  });

  it('should send no reminder twice and create each occurrence of a daily series once, across a restart', async () => {
    // REDIS_URL names nothing: every connection must go to the cluster.
    const env = feishuEnv(fake, 'redis://127.0.0.1:1', prefix, { REDIS_CLUSTER_NODES: CLUSTER_NODES, REMINDER_CONCURRENCY: '20', DEFAULT_QUIET_HOURS: 'off' });
    const a = new BotProcess('cltwin-a', await freePort(), env);
    const b = new BotProcess('cltwin-b', await freePort(), env);
    await Promise.all([a.ready(), b.ready()]);

    addFakeChat(fake, SERIES_CHAT, '理论学习小组');
    const createdAt = Date.now();
    const said = await a.say('学习 理论学习 每天上午9点', { chatId: SERIES_CHAT, fake });
    expect(said.status).toBe(200);
    const reply = await waitFor(() => fake.messagesIn(SERIES_CHAT).map(textOf).find((t) => t.includes('已建立 系列1')), 20000, 'the series reply');
    expect(reply).toContain('每天 09:00');

    const duties = await seedReminders(store, fake, { chats: CHATS, perChat: PER_CHAT, dueAt: Date.now() + 1500, chatId: chatIdOf });
    await waitFor(() => new Set(reminderCards(fake).map((c) => c.dutyId)).size === TOTAL || undefined, 120000, `${TOTAL} reminders`, 100);

    const stopped = await b.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    const b2 = new BotProcess('cltwin-b2', await freePort(), env);
    await b2.ready();
    await sleep(3000);

    const cards = reminderCards(fake);
    expect(new Set(cards.map((c) => c.dutyId))).toEqual(new Set(duties.map((d) => d.id)));
    expect(cards).toHaveLength(TOTAL);
    expect(duplicates(cards.map((c) => c.uuid))).toEqual(new Map());
    const sentBy = (p: BotProcess): number => p.lines().filter((l) => l.msg === 'reminder sent').length;
    console.log(`[faults] cluster two-processes: reminders sent by A ${sentBy(a)}, by B ${sentBy(b)}, by B after its restart ${sentBy(b2)}`);
    expect(sentBy(a)).toBeGreaterThan(0);
    expect(sentBy(b)).toBeGreaterThan(0);
    expect(sentBy(a) + sentBy(b) + sentBy(b2)).toBe(TOTAL);

    const [series] = await store.series.list(feishuChat(SERIES_CHAT));
    expect(series).toBeDefined();
    const seriesId = series?.id ?? '';
    const all: Duty[] = await store.duties.listByPeriod(feishuChat(SERIES_CHAT), 0, Number.MAX_SAFE_INTEGER);
    const times = all.map((d) => d.at).sort((x, y) => x - y);
    expect(duplicates(times.map(String))).toEqual(new Map());
    const now = Date.now();
    const inViewAtCreation = nineOClocks(createdAt).filter((t) => t > createdAt && t - LEAD <= createdAt);
    const inViewNow = nineOClocks(createdAt).filter((t) => t > createdAt && t - LEAD <= now);
    expect(times.length).toBeGreaterThanOrEqual(inViewAtCreation.length);
    expect(times).toEqual(inViewNow.slice(0, times.length));
    expect(all.every((d) => d.seriesId === seriesId)).toBe(true);
    expect(all.map((d) => d.number).sort((x, y) => x - y)).toEqual(all.map((_, i) => i + 1));
    const occ = await store.series.occurrences(seriesId);
    expect([...occ.keys()].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(occ.values())).toEqual(new Set(all.map((d) => d.id)));

    const announced = announceCards(fake).filter((c) => c.message.chatId === SERIES_CHAT);
    expect(announced.map((c) => c.dutyId).sort()).toEqual(all.map((d) => d.id).sort());
    const { queue: seriesQueue, close } = store.queue('series');
    try {
      expect(await seriesQueue.getJobSchedulersCount()).toBe(1);
    } finally {
      await close();
    }

    // Every key under the prefix is tagged: global records {prefix}, a chat's records {prefix:<bucket>} (a family's
    // {prefix:units}, …), each queue {prefix:<queue>} (src/store/keys.ts, src/store/key-prefixes.ts).
    const keys = await clusterKeys(cluster, `*${prefix}*`);
    const untagged = keys.filter((k) => !k.startsWith(`{${prefix}}:`) && !/^\{[^}]+\}:/.test(k.replace(`{${prefix}:`, '{')));
    expect(keys.some((k) => /^\{[^}]+:[a-z2-7]{4}\}:chat:/.test(k))).toBe(true);
    expect(untagged).toEqual([]);
    await Promise.all([a.kill('SIGTERM'), b2.kill('SIGTERM')]);
  }, 200000);
});
