import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import calculateSlot from 'cluster-key-slot';
import { installSlotMemo, slotOf, slotOfAll } from '../../src/store/slot-memo';

/** cluster-key-slot's own generateMulti, kept before anything replaces it. */
const originalMulti = calculateSlot.generateMulti;

/** Keys of every shape the hash-tag rule distinguishes (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags). */
const KEYS = [
  'plain',
  '',
  '{luoshi:reminders}:bull:reminders:delayed',
  '{luoshi:ab2c}:duty:ab2cdefghijk:history',
  'luoshi:{user1000}.following',
  'foo{}{bar}',
  'foo{{bar}}zap',
  'foo{bar}{zap}',
  '{}',
  '{',
  '}{x}',
  'a{b{c}d}',
  '{支部:会议}:标题',
  '前缀{党支部}后缀',
  '{😀}:emoji',
  'x'.repeat(300) + '{tag}',
];

const random = (n: number): string => {
  const chars = 'ab{}:z支部😀-_ 0';
  return Array.from({ length: n }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
};

/** src/store/slot-memo.ts: the same slots as cluster-key-slot, for every key, remembered by tag. */
describe('the remembered slot function', () => {
  it('should give every key the slot cluster-key-slot gives it', () => {
    for (const key of KEYS) expect([key, slotOf(key)]).toEqual([key, calculateSlot(key)]);
    for (let i = 0; i < 5000; i++) {
      const key = random(1 + (i % 40));
      expect([key, slotOf(key)]).toEqual([key, calculateSlot(key)]);
      // A second time, from what it remembered.
      expect([key, slotOf(key)]).toEqual([key, calculateSlot(key)]);
    }
    const buffer = Buffer.from('{luoshi:x}:raw');
    expect(slotOf(buffer)).toBe(calculateSlot(buffer));
  });

  it('should say whether keys share a slot as generateMulti does', () => {
    const groups = [
      ['{a}:1', '{a}:2', 'x{a}y'],
      ['{a}:1', '{b}:1'],
      ['plain', 'plain'],
      ['plain', 'other'],
      ['{luoshi:ab2c}:duty:1', '{luoshi:ab2c}:chat:seq', 'x{luoshi:ab2c}'],
      ['{}a', '{}a'],
      ['{}a', '{}b'],
      ['single'],
    ];
    for (const keys of groups) expect([keys, slotOfAll(keys)]).toEqual([keys, originalMulti(keys)]);
    for (let i = 0; i < 2000; i++) {
      const keys = Array.from({ length: 1 + (i % 5) }, () => random(6));
      expect(slotOfAll(keys)).toBe(originalMulti(keys));
    }
  });

  it('should be what ioredis calls once installed', () => {
    installSlotMemo();
    // The cluster-key-slot ioredis itself loads (its own dependency, resolved from its directory).
    const fromIoredis = createRequire(require.resolve('ioredis'))(require.resolve('cluster-key-slot', { paths: [dirname(require.resolve('ioredis'))] })) as typeof calculateSlot;
    expect(fromIoredis.generateMulti).toBe(slotOfAll);
    expect(fromIoredis).toBe(calculateSlot);
  });
});
