import { ErrorCode, StoreUnavailableError, toAppError } from '../../src/errors';
import { ChatRepo } from '../../src/store/chat-repo';
import { Dedupe } from '../../src/store/dedupe';
import { createRedis, execOrThrow, whenReady, type StoreConnection } from '../../src/store/redis';
import { duplicateConnection } from '../../src/store/redis-cluster';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

/** Nothing listens on port 1: every connection attempt is refused. */
const UNREACHABLE_URL = 'redis://127.0.0.1:1';
const SAID = '服务暂时不可用，请稍后再试。';

/**
 * "Store unavailable" is a type thrown by the store's connections (src/store/redis.ts), not words found in a
 * message: every layer above recognises it with instanceof, and it still tells the user the same thing.
 */
describe('StoreUnavailableError at the store boundary', () => {
  const opened: StoreConnection[] = [];
  const open = (url: string): StoreConnection => {
    const conn = createRedis(url, { retryStrategy: () => null });
    conn.on('error', () => undefined);
    opened.push(conn);
    return conn;
  };
  afterEach(() => {
    for (const conn of opened.splice(0)) if (conn.status !== 'end') conn.disconnect();
  });

  it('should throw a StoreUnavailableError with the Chinese message when Redis cannot be reached', async () => {
    const err = await open(UNREACHABLE_URL)
      .get('anything')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(toAppError(err)).toBe(err);
    expect(toAppError(err)).toMatchObject({ code: ErrorCode.StoreUnavailable, userMessage: SAID });
    // The client's words stay in the message (BullMQ tells connection errors by them).
    expect((err as Error).message).toMatch(/Stream isn't writeable|Connection is closed/);
  });

  it('should type the failure of a MULTI, and of a repository built on the connection', async () => {
    const conn = open(UNREACHABLE_URL);
    await expect(execOrThrow(conn.multi().set('a', '1').set('b', '2'))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(new Dedupe(conn, uniquePrefix()).firstTime('msg:test', 'm1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(new ChatRepo(conn, uniquePrefix()).roster({ platform: 'sandbox', chatId: 'c1' })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('should type the failure of a connection made with duplicate()', async () => {
    const copy = duplicateConnection(open(UNREACHABLE_URL));
    copy.on('error', () => undefined);
    opened.push(copy);
    await expect(copy.get('anything')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('should type a command on a connection that was closed', async () => {
    const conn = open(REDIS_URL);
    expect(await whenReady(conn, 2000)).toBe(true);
    await conn.quit();
    const err = await conn.get('anything').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(toAppError(err).userMessage).toBe(SAID);
  });

  it('should leave an error Redis answered with as it is: a failure, not an outage', async () => {
    const prefix = uniquePrefix();
    const conn = open(REDIS_URL);
    expect(await whenReady(conn, 2000)).toBe(true);
    try {
      await conn.set(`${prefix}:string`, 'x');
      const err = await conn.hget(`${prefix}:string`, 'field').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(StoreUnavailableError);
      expect(toAppError(err).code).toBe(ErrorCode.Internal);
    } finally {
      await removePrefix(prefix);
    }
  });

  it('should not take an error for an outage because of its words', () => {
    // A socket error of some other client (not the store's connection) is not the store being down.
    expect(toAppError(new Error('connect ECONNREFUSED 10.0.0.1:443')).code).toBe(ErrorCode.Internal);
  });
});
