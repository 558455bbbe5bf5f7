/**
 * `luoshi import` / `luoshi export` refusals: every bad input gets a clear Chinese answer (exit 2) and nothing is
 * written. `--force` replaces a non-empty prefix as a whole (records and queues), so the result is the backup alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';
import { keyDump, luoshi } from './support';

jest.setTimeout(60_000);

describe('luoshi import / export refusals', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-backup-'));
  const source = uniquePrefix();
  const target = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const good = path.join(dir, 'good.jsonl');

  beforeAll(async () => {
    await redis.set(`${source}:duty:d1`, '{"id":"d1"}');
    await redis.hset(`${source}:duty:d1:answers`, 'u2', '{"status":"yes"}');
    await redis.rpush(`${source}:duty:d1:history`, 'a', 'b');
    await redis.set(`${source}:pace:feishu`, '123');
    await redis.zadd(`${source}:bull:reminders:delayed`, 1, 'rem-d1-60-1');
    expect((await luoshi(['export', '--out', good, '--prefix', source])).code).toBe(0);
  });

  afterAll(async () => {
    await removePrefix(source);
    await removePrefix(target);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const variant = (name: string, edit: (lines: string[]) => string[]): string => {
    const file = path.join(dir, name);
    writeFileSync(file, `${edit(readFileSync(good, 'utf8').trimEnd().split('\n')).join('\n')}\n`);
    return file;
  };

  it.each([
    ['a cut-off file', (l: string[]) => l.slice(0, -1), '第3行：文件头说有 3 条记录，实际 2 条：文件不完整'],
    ['a line that is not JSON', (l: string[]) => [l[0] ?? '', '{"k":"duty:d1"', ...l.slice(2)], '第2行：不是 JSON'],
    ['a record without its payload', (l: string[]) => [l[0] ?? '', '{"k":"duty:x","t":"string","x":null}', ...l.slice(2)], '第2行：记录格式不对（d：'],
    ['a payload that is not base64', (l: string[]) => [l[0] ?? '', '{"k":"duty:x","t":"string","x":null,"d":"不是base64"}', ...l.slice(2)], '第2行：记录格式不对（d：'],
    ['a key twice', (l: string[]) => [l[0] ?? '', l[1] ?? '', l[1] ?? '', ...l.slice(3)], '第3行：键「'],
    ['another format', (l: string[]) => [JSON.stringify({ ...(JSON.parse(l[0] ?? '{}') as object), version: 2 }), ...l.slice(1)], '第1行：不是落实的备份文件头'],
  ])('should refuse %s and write nothing', async (name, edit, problem) => {
    const file = variant(`${name}.jsonl`, edit);
    const res = await luoshi(['import', file, '--prefix', target]);
    expect(res.code).toBe(2);
    expect(String(res.json.error)).toContain(`备份文件「${file}」${problem}`);
    expect(String(res.json.error)).toContain('什么都没导入');
    expect((await keyDump(target)).size).toBe(0);
  });

  it.each([
    [['import'], '要写一个备份文件，用法：luoshi import <文件> [--prefix 前缀] [--force]'],
    [['import', path.join(tmpdir(), 'no-such-backup.jsonl'), '--prefix', 'x'], '读不了文件'],
    [['import', 'f', '--prefix', 'a:b'], '--prefix「a:b」只能含字母、数字、_ - { }'],
    [['export'], '没写 --out 文件'],
    [['export', '--out', 'f', '--max-pause-ms', '５０００'], '--max-pause-ms 要写100到60000之间的整数'],
    [['export', '--out', 'f', '--bogus'], '参数不对'],
  ])('should refuse luoshi %j with a Chinese answer', async (args, error) => {
    const res = await luoshi(args);
    expect(res.code).toBe(2);
    expect(String(res.json.error)).toContain(error);
    expect(existsSync(path.join(process.cwd(), 'f'))).toBe(false);
  });

  it('should say a Redis Cluster cannot be reached, exit 1, and leave no file (a reachable one: test/cluster/backup.cluster.ts)', async () => {
    const out = path.join(dir, 'cluster.jsonl');
    const res = await luoshi(['export', '--out', out, '--prefix', source], { REDIS_CLUSTER_NODES: '127.0.0.1:1' });
    expect(res).toMatchObject({ code: 1, json: { error: '连不上 Redis（cluster 127.0.0.1:1）' } });
    expect(existsSync(out)).toBe(false);
  });

  it('should say Redis cannot be reached, exit 1, and leave no file', async () => {
    const out = path.join(dir, 'unreachable.jsonl');
    const res = await luoshi(['export', '--out', out, '--prefix', source], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(res).toMatchObject({ code: 1, json: { error: '连不上 Redis（redis://127.0.0.1:1）' } });
    expect(existsSync(out)).toBe(false);
  });

  it('should replace a non-empty prefix as a whole with --force, queues included', async () => {
    await redis.set(`${target}:duty:stale`, '{"id":"stale"}');
    await redis.zadd(`${target}:bull:reminders:delayed`, 1, 'rem-stale-60-1');
    const refused = await luoshi(['import', good, '--prefix', target]);
    expect(refused.code).toBe(2);
    expect(await redis.exists(`${target}:duty:stale`)).toBe(1);

    const forced = await luoshi(['import', good, '--prefix', target, '--force']);
    expect(forced).toMatchObject({ code: 0, json: { imported: 3, cleared: 2 } });
    const after = await keyDump(target);
    expect([...after.keys()].sort()).toEqual(['duty:d1', 'duty:d1:answers', 'duty:d1:history']);
    expect(await redis.hgetall(`${target}:duty:d1:answers`)).toEqual({ u2: '{"status":"yes"}' });
    expect(await redis.lrange(`${target}:duty:d1:history`, 0, -1)).toEqual(['a', 'b']);
  });
});
