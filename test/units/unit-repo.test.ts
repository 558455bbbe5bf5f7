import { Redis } from 'ioredis';
import { DamagedRecord } from '../../src/errors';
import { UnitRepo } from '../../src/store/unit-repo';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

/** The units' store: one compare-and-set script (a write made on an older read fails), history, zod on read. */
describe('UnitRepo', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const repo = new UnitRepo(redis, prefix, () => undefined);
  const change = { at: 1, by: 'test', what: 'x' };

  afterAll(async () => {
    await removePrefix(prefix);
    redis.disconnect();
  });

  it('should write only on the version read, with its history, and refuse a damaged tree by its key', async () => {
    const read = await repo.read();
    expect(read).toEqual({ version: 0, units: [] });
    const a = [{ name: '市直机关工委', level: '工委' as const }];
    // Two writers read version 0: the first wins, the second is told to read again; nothing of it is kept.
    expect(await repo.write(read.version, a, change)).toBe(true);
    expect(await repo.write(read.version, [{ name: '别的工委', level: '工委' as const }], { ...change, what: 'y' })).toBe(false);
    expect(await repo.read()).toEqual({ version: 1, units: a });
    expect((await repo.history()).map((h) => h.what)).toEqual(['x']);
    await redis.set(`${prefix}:units`, JSON.stringify({ units: [{ name: '某单位', level: '党组' }] }));
    await expect(repo.read()).rejects.toBeInstanceOf(DamagedRecord);
  });

  it('should hand a pending choice out once', async () => {
    const pending = { id: UnitRepo.newPendingId(), chat: 'sandbox:b1', name: '第一党支部', level: '党支部' as const, by: 'u1' };
    await repo.savePending(pending);
    expect(await repo.peekPending(pending.id)).toEqual(pending);
    const [one, two] = await Promise.all([repo.takePending(pending.id), repo.takePending(pending.id)]);
    expect([one, two].filter(Boolean)).toEqual([pending]);
  });
});
