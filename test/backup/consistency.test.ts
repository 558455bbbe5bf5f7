/**
 * `luoshi export` reads every key at one moment: writes are paused on the server while it reads (CLIENT PAUSE
 * WRITE). A writer bumps 200 counters together in one MULTI, again and again, while the export runs; every counter
 * in the backup must hold the same value (read at different moments they would differ). Expiries are kept as the
 * absolute time they had, and a key whose expiry passed before the import is left out.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';
import { luoshi } from './support';

jest.setTimeout(60_000);

const COUNTERS = 200;

describe('luoshi export: one moment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-backup-'));
  const source = uniquePrefix();
  const target = uniquePrefix();
  const redis = new Redis(REDIS_URL);

  afterAll(async () => {
    await removePrefix(source);
    await removePrefix(target);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should hold every counter bumped together at the same value while a writer keeps bumping them', async () => {
    const counters = Array.from({ length: COUNTERS }, (_, i) => `${source}:duty:c${i}:rev`);
    // Filler keys spread the counters over many SCAN steps (and pipelines) of the export.
    const filler = redis.pipeline();
    for (let i = 0; i < 3000; i++) filler.set(`${source}:chat:f${i}:meta`, String(i));
    await filler.exec();

    let stop = false;
    let rounds = 0;
    const writer = new Redis(REDIS_URL);
    const writing = (async () => {
      while (!stop) {
        const multi = writer.multi();
        for (const key of counters) multi.incr(key);
        await multi.exec();
        rounds++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const roundsBefore = rounds;
    const file = path.join(dir, 'moment.jsonl');
    const exported = await luoshi(['export', '--out', file, '--prefix', source]);
    stop = true;
    await writing;
    writer.disconnect();
    expect(exported.code).toBe(0);
    // The writer was busy throughout: the export had something to be inconsistent about.
    expect(rounds - roundsBefore).toBeGreaterThan(5);

    expect((await luoshi(['import', file, '--prefix', target])).code).toBe(0);
    const values = await redis.mget(counters.map((k) => `${target}${k.slice(source.length)}`));
    expect(values.every((v) => v !== null)).toBe(true);
    expect(new Set(values).size).toBe(1);
    expect(Number(values[0])).toBeGreaterThan(0);
  });

  it('should keep an expiry as the absolute time it had, and leave out a key that expired before the import', async () => {
    const prefix = uniquePrefix();
    const into = uniquePrefix();
    try {
      await redis.set(`${prefix}:seen:feishu:e1`, '1', 'PX', 600_000);
      await redis.set(`${prefix}:chat:sandbox:x:draft:u1`, '{}', 'PX', 600_000);
      await redis.set(`${prefix}:duty:d1`, '{"id":"d1"}');
      const file = path.join(dir, 'ttl.jsonl');
      expect((await luoshi(['export', '--out', file, '--prefix', prefix])).code).toBe(0);
      // The draft's expiry is moved into the past in the file, as if the import came after it expired.
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const edited = lines.map((l, i) => {
        if (i === 0) return l;
        const r = JSON.parse(l) as { k: string; x: number | null };
        return r.k.includes(':draft:') ? JSON.stringify({ ...r, x: Date.now() - 1000 }) : l;
      });
      writeFileSync(file, `${edited.join('\n')}\n`);
      const done = await luoshi(['import', file, '--prefix', into]);
      expect(done.json).toMatchObject({ imported: 2, expired: 1 });
      expect(await redis.exists(`${into}:chat:sandbox:x:draft:u1`)).toBe(0);
      const ttl = await redis.pttl(`${into}:seen:feishu:e1`);
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
      expect(await redis.pttl(`${into}:duty:d1`)).toBe(-1);
      expect(await redis.get(`${into}:duty:d1`)).toBe('{"id":"d1"}');
    } finally {
      await removePrefix(prefix);
      await removePrefix(into);
    }
  });

  it('should write no file when reading took longer than the pause, and writes go on afterwards', async () => {
    const prefix = uniquePrefix();
    try {
      // 20 000 keys take well over 100 ms to read (100 000 took seconds): the pause lapses mid-read.
      for (let b = 0; b < 20; b++) {
        const pipeline = redis.pipeline();
        for (let i = 0; i < 1000; i++) pipeline.set(`${prefix}:duty:${b}-${i}`, '{}');
        await pipeline.exec();
      }
      const file = path.join(dir, 'too-long.jsonl');
      const res = await luoshi(['export', '--out', file, '--prefix', prefix, '--max-pause-ms', '100']);
      expect(res.code).toBe(2);
      expect(String(res.json.error)).toMatch(/^读取用了 \d+ 毫秒，超过了写入暂停的 100 毫秒，无法保证是同一时刻的数据，没有写文件；请加大 --max-pause-ms 再导出$/);
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}.partial`)).toBe(false);
      expect(await redis.set(`${prefix}:after`, '1')).toBe('OK');
    } finally {
      await removePrefix(prefix);
    }
  });
});
