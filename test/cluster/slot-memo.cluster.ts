import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { slotOfAll } from '../../src/store/slot-memo';
import { startBot, type StartedBot } from '../helpers/harness';

/*
 * src/store/slot-memo.ts through the bot's own cluster connection: a bot on the cluster has it installed, and ioredis
 * still refuses a pipeline command whose keys span two slots and sends one whose keys share a tag.
 */

jest.setTimeout(60000);

describe('the remembered slot function on the cluster', () => {
  let started: StartedBot;

  beforeAll(async () => {
    started = await startBot({ workers: false });
  });
  afterAll(async () => {
    await started.stop();
  });

  it('should be installed by the bot and keep ioredis refusing a command across slots', async () => {
    expect(calculateSlot.generateMulti).toBe(slotOfAll);
    const redis = started.bot.redis as Cluster;
    expect(redis.isCluster).toBe(true);
    const tag = `{${started.config.REDIS_KEY_PREFIX}:slot-memo}`;
    const ok = await redis.pipeline().mset(`${tag}:a`, '1', `${tag}:b`, '2').mget(`${tag}:a`, `${tag}:b`).exec();
    expect(ok?.map(([err, v]) => [err, v])).toEqual([[null, 'OK'], [null, ['1', '2']]]);
    // Two tags of different slots in one command: refused before anything is sent.
    const other = `{${started.config.REDIS_KEY_PREFIX}:slot-memo-other}`;
    expect(calculateSlot(`${tag}:a`)).not.toBe(calculateSlot(`${other}:a`));
    await expect(redis.pipeline().mset(`${tag}:c`, '1', `${other}:c`, '2').exec()).rejects.toThrow('All the keys in a pipeline command should belong to the same slot');
    await redis.del(`${tag}:a`, `${tag}:b`);
  });
});
