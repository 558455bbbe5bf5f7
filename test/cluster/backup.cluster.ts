import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis, type Cluster } from 'ioredis';
import { bucket } from '../../src/store/keys';
import { isExcluded } from '../../src/store/backup/backup-format';
import { loadLegacyBuckets } from '../../src/store/backup/record-space';
import { recordKeys } from '../../src/store/key-prefixes';
import { dumpOn, keyDump, luoshi } from '../backup/support';
import { ask } from '../handlers/support';
import { keysOf, recordPrefix, REDIS_URL, removePrefix, startBot, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { openCluster } from './cluster-env';

jest.setTimeout(120_000);

/*
 * Issue 16 item 4 on a Redis Cluster: `luoshi export` reads the records where they live (spread over the masters by
 * chat: src/store/keys.ts, src/store/backup/record-space.ts) and `luoshi import` writes each in its chat's slot; a
 * backup moves a deployment from the cluster to one Redis and back, record for record, and a bot started on the
 * restored prefix finds its chats.
 */
describe('luoshi export / import on a Redis Cluster', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-cluster-backup-'));
  const restoredPrefix = uniquePrefix();
  const standalonePrefix = uniquePrefix();
  let cluster: Cluster;
  let source: StartedBot | undefined;
  let restored: StartedBot | undefined;

  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await restored?.stop();
    if (source) await removePrefix(source.config.REDIS_KEY_PREFIX);
    await removePrefix(restoredPrefix);
    await removePrefix(standalonePrefix);
    cluster.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The records of a cluster prefix, key by key, read on every master; each key is checked to be where the bot names
   * it (`place`, which import uses, agrees with the repositories' builders).
   */
  const clusterDump = async (prefix: string): Promise<Awaited<ReturnType<typeof keyDump>>> => {
    const keys = recordKeys(prefix, true);
    await loadLegacyBuckets(cluster, keys);
    const out: Awaited<ReturnType<typeof keyDump>> = new Map();
    const misplaced: string[] = [];
    for (const node of cluster.nodes('master')) {
      const dump = await dumpOn(node, keys.patterns(), (key) => {
        const rel = keys.relative(key);
        if (rel !== undefined && !rel.startsWith('bull:') && keys.place(rel) !== key) misplaced.push(key);
        return rel?.startsWith('bull:') ? undefined : rel;
      });
      for (const [k, v] of dump) out.set(k, v);
    }
    expect(misplaced).toEqual([]);
    return out;
  };

  it('should export the cluster’s records, restore them on one Redis and back on the cluster, every record equal', async () => {
    source = await startBot();
    const branch = new SandboxDriver(source);
    expect((await ask(branch, 'u1', '设置 免打扰 22:00-07:00')).reply).toContain('22:00-07:00');
    expect((await ask(branch, 'u1', '会议 支部委员会 明天下午3点 地点 三楼会议室')).reply).toContain('#1');
    expect((await ask(branch, 'u2', '参加＃１')).reply).toContain('参加');
    expect((await ask(branch, 'u3', '请假 #1 外出培训')).reply).toContain('请假');
    await source.bot.stop();
    const prefix = source.config.REDIS_KEY_PREFIX;
    expect(recordPrefix(source.config)).toBe(`{${prefix}}`);
    // The chat's records on its bucket's tag, not the global one.
    expect(await keysOf(cluster, `[{]${prefix}:*[}]:chat:sandbox:${branch.chatId}:all`)).toHaveLength(1);
    // Every record but the transient keys a backup leaves out (src/store/backup/backup-format.ts).
    const before = new Map([...(await clusterDump(prefix))].filter(([k]) => !isExcluded(k)));
    expect([...before.keys()].some((k) => k.endsWith(':answers'))).toBe(true);

    // Cluster → file: the records of `{prefix}`, read on their master.
    const file = path.join(dir, 'cluster.jsonl');
    const exported = await luoshi(['export', '--out', file, '--prefix', prefix]);
    expect(exported.code).toBe(0);
    expect(exported.json).toMatchObject({ prefix: `{${prefix}}` });
    expect(Number(exported.json.exported)).toBeGreaterThan(0);

    // File → one Redis (no REDIS_CLUSTER_NODES): the same records, untagged.
    const onOne = await luoshi(['import', file, '--prefix', standalonePrefix], { REDIS_CLUSTER_NODES: '' });
    expect(onOne.code).toBe(0);
    const standalone = await keyDump(standalonePrefix);
    expect([...standalone.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect({ k, ...standalone.get(k) }).toEqual({ k, ...v });

    // One Redis → file → back on the cluster under another prefix: equal again.
    const file2 = path.join(dir, 'standalone.jsonl');
    expect((await luoshi(['export', '--out', file2, '--prefix', standalonePrefix], { REDIS_CLUSTER_NODES: '' })).code).toBe(0);
    const back = await luoshi(['import', file2, '--prefix', restoredPrefix]);
    expect(back.code).toBe(0);
    expect(back.json).toMatchObject({ prefix: `{${restoredPrefix}}` });
    const after = await clusterDump(restoredPrefix);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect({ k, ...after.get(k) }).toEqual({ k, ...v });

    // A second import into the non-empty prefix is refused.
    const again = await luoshi(['import', file2, '--prefix', restoredPrefix]);
    expect(again.code).toBe(2);

    // A bot on the restored prefix, on the cluster, finds the chat's setting and the meeting with its answers.
    restored = await startBot({ env: { REDIS_KEY_PREFIX: restoredPrefix } });
    await restored.bot.reconciled;
    const driver = new SandboxDriver(restored);
    expect((await ask(driver, 'u1', '设置 免打扰')).reply).toContain('22:00-07:00');
    const duty = await restored.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, 1);
    expect(duty?.title).toBe('支部委员会');
    expect([...(await restored.bot.services.duties.answers(duty?.id ?? '')).values()].map((a) => a.status).sort()).toEqual(['attending', 'attending', 'leave']);
  });

  it('should place a duty whose id predates its chat’s bucket in its chat’s slot when a one-Redis backup is imported', async () => {
    const legacyFrom = uniquePrefix();
    const legacyInto = uniquePrefix();
    try {
      // An older deployment on one Redis: its meeting's id does not start with the chat's bucket (ids were random).
      const old = await startBot({ env: { REDIS_URL, REDIS_KEY_PREFIX: legacyFrom } });
      const oldDriver = new SandboxDriver(old);
      expect((await ask(oldDriver, 'u1', '会议 支部委员会 明天下午3点')).reply).toContain('#1');
      const chat = `sandbox:${oldDriver.chatId}`;
      const made = await old.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: oldDriver.chatId }, 1);
      await old.bot.stop();
      const id = made?.id ?? '';
      const legacyId = bucket(chat).startsWith('z') ? 'aaaaaaaaaaaa' : 'zzzzzzzzzzzz';
      await renameDuty(legacyFrom, chat, id, legacyId);

      const file = path.join(dir, 'legacy.jsonl');
      expect((await luoshi(['export', '--out', file, '--prefix', legacyFrom], { REDIS_CLUSTER_NODES: '' })).code).toBe(0);
      const imported = await luoshi(['import', file, '--prefix', legacyInto]);
      expect(imported.code).toBe(0);
      expect(imported.json).toMatchObject({ legacyIds: 1 });
      expect(await cluster.hgetall(`{${legacyInto}}:legacy-bucket`)).toEqual({ [legacyId]: bucket(chat) });
      // Every key of the old duty in its chat's slot, under the name the bot gives it.
      await clusterDump(legacyInto);
      const dutyKeys = await keysOf(cluster, `[{]${legacyInto}:*[}]:duty:${legacyId}*`);
      expect(dutyKeys.length).toBeGreaterThan(2);
      expect(new Set(dutyKeys.map((k) => k.slice(0, k.indexOf('}') + 1)))).toEqual(new Set([`{${legacyInto}:${bucket(chat)}}`]));

      // A bot on the cluster answers and cancels it: its scripts and MULTIs over the old id stay in one slot.
      const bot = await startBot({ env: { REDIS_KEY_PREFIX: legacyInto } });
      try {
        await bot.bot.reconciled;
        const driver = new SandboxDriver(bot);
        expect((await ask(driver, 'u2', '参加 #1')).reply).toContain('参加');
        expect((await ask(driver, 'u1', '取消 #1')).reply).toContain('#1');
        const duty = await bot.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, 1);
        expect({ id: duty?.id, state: duty?.state }).toEqual({ id: legacyId, state: 'cancelled' });
        expect((await bot.bot.services.duties.answers(legacyId)).get('u2')?.status).toBe('attending');
      } finally {
        await bot.stop();
      }
    } finally {
      await removePrefix(legacyFrom, REDIS_URL);
      await removePrefix(legacyInto);
    }
  });
});

/** Give duty `id` of `chat` another id on one Redis, as if it had been made before ids carried their chat's bucket. */
async function renameDuty(prefix: string, chat: string, id: string, to: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for (const key of await redis.keys(`${prefix}:duty:${id}*`)) await redis.rename(key, key.replace(`:duty:${id}`, `:duty:${to}`));
    const record = JSON.parse((await redis.get(`${prefix}:duty:${to}`)) ?? '{}') as { id: string; number: number };
    await redis.set(`${prefix}:duty:${to}`, JSON.stringify({ ...record, id: to }));
    await redis.hset(`${prefix}:chat:${chat}:numbers`, String(record.number), to);
    for (const index of [`${prefix}:chat:${chat}:all`, `${prefix}:chat:${chat}:open`, `${prefix}:duties:open`]) {
      const score = await redis.zscore(index, id);
      if (score === null) continue;
      await redis.zrem(index, id);
      await redis.zadd(index, score, to);
    }
    for (const key of await redis.keys(`${prefix}:cmd:*`)) if ((await redis.get(key)) === id) await redis.set(key, to);
  } finally {
    redis.disconnect();
  }
}
