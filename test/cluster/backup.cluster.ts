import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'ioredis';
import { isExcluded } from '../../src/store/backup/backup-format';
import { recordKeys } from '../../src/store/key-prefixes';
import { dumpOn, keyDump, luoshi } from '../backup/support';
import { ask } from '../handlers/support';
import { keysOf, recordPrefix, removePrefix, startBot, uniquePrefix, type StartedBot } from '../helpers/harness';
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
});
