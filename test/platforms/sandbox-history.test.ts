/**
 * The console keeps a chat's whole history (issue #12): GET /sandbox/api/state opens a chat with its latest
 * messages and says whether there are older ones; GET /sandbox/api/messages?chat=…&before=…&limit=… serves the
 * rest a page at a time. Bad queries get 400 with a Chinese message. The log keeps every message unless an operator sets SANDBOX_HISTORY_LIMIT; then the
 * oldest messages trimmed with their ids.
 */
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { SANDBOX_FIRST_PAGE } from '../../src/platforms/sandbox/history';
import { SandboxRepo, type SandboxMessage, type SandboxPage } from '../../src/store/sandbox-repo';
import { TxPool } from '../../src/store/redis';
import { removePrefix, REDIS_URL, startBot, uniquePrefix, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

const TOTAL = 250;

describe('the console history API', () => {
  let started: StartedBot;
  let said: string[];

  beforeAll(async () => {
    started = await startBot();
    const driver = new SandboxDriver(started);
    said = [];
    for (let i = 1; i <= TOTAL; i++) said.push(await driver.say(i % 2 === 0 ? 'u2' : 'u3', `第 ${i} 条`));
  }, 60000);
  afterAll(async () => {
    await started.stop();
  });

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${started.baseUrl}${path}`);
    return { status: res.status, body: (await res.json()) as T };
  };
  const texts = (messages: readonly SandboxMessage[]): string[] => messages.map((m) => plain(m.text));

  it('should open a chat with its latest messages and say that older ones exist', async () => {
    const { status, body } = await get<SandboxPage & { chat: { id: string } }>(`/sandbox/api/state?chat=${DEMO_CHAT.id}`);
    expect(status).toBe(200);
    expect(body.messages).toHaveLength(SANDBOX_FIRST_PAGE);
    expect(body.more).toBe(true);
    expect(texts(body.messages).at(-1)).toBe(`第 ${TOTAL} 条`);
  });

  it('should serve every earlier message a page at a time, in order, down to the first', async () => {
    const first = await get<SandboxPage>(`/sandbox/api/state?chat=${DEMO_CHAT.id}`);
    let messages = first.body.messages;
    let more = first.body.more;
    const pages: number[] = [];
    while (more) {
      const page = await get<SandboxPage>(`/sandbox/api/messages?chat=${DEMO_CHAT.id}&before=${messages[0]?.id}&limit=60`);
      expect(page.status).toBe(200);
      pages.push(page.body.messages.length);
      messages = [...page.body.messages, ...messages];
      more = page.body.more;
    }
    expect(pages).toEqual([60, 60, 30]);
    expect(messages.map((m) => m.id)).toEqual(said);
    expect(texts(messages)).toEqual(Array.from({ length: TOTAL }, (_, i) => `第 ${i + 1} 条`));
  });

  it('should give the latest page without `before`, 50 messages unless told', async () => {
    const page = await get<SandboxPage>(`/sandbox/api/messages?chat=${DEMO_CHAT.id}`);
    expect(page.status).toBe(200);
    expect(page.body.messages.map((m) => m.id)).toEqual(said.slice(-50));
    expect(page.body.more).toBe(true);
    const all = await get<SandboxPage>(`/sandbox/api/messages?chat=${DEMO_CHAT.id}&before=${said[3]}&limit=200`);
    expect(all.body).toEqual({ messages: expect.any(Array), more: false });
    expect(all.body.messages.map((m) => m.id)).toEqual(said.slice(0, 3));
  });

  it.each([
    ['no chat', '', 400, '请写上群编号（chat）'],
    ['two chats', `chat=${DEMO_CHAT.id}&chat=branch-2`, 400, '请写上群编号（chat）'],
    ['a limit of 0', `chat=${DEMO_CHAT.id}&limit=0`, 400, '「limit」应是 1 到 200 的整数'],
    ['a limit over 200', `chat=${DEMO_CHAT.id}&limit=201`, 400, '「limit」应是 1 到 200 的整数'],
    ['a limit that is not a number', `chat=${DEMO_CHAT.id}&limit=abc`, 400, '「limit」应是 1 到 200 的整数'],
    ['a `before` that is no message id', `chat=${DEMO_CHAT.id}&before=${encodeURIComponent('m1;DROP')}`, 400, '「before」应是一条消息的编号，例如 m42'],
    ['a chat that does not exist', 'chat=branch-9', 404, '没有这个群'],
    ['a `before` not in this chat', `chat=${DEMO_CHAT.id}&before=m999999`, 404, '这个群里没有编号为 m999999 的消息'],
  ])('should answer %s with a Chinese message', async (_name, query, status, error) => {
    const res = await get<{ error: string }>(`/sandbox/api/messages?${query}`);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error });
  });
});

describe('the sandbox history cap', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const tx = new TxPool(redis);
  afterAll(async () => {
    await tx.close();
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('should keep the latest messages of a chat within the cap and delete the trimmed ones', async () => {
    const repo = new SandboxRepo(redis, tx, prefix, { historyCap: 20 });
    await repo.createChat({ id: 'c1', name: '一支部' }, [{ id: 'a', name: '甲' }]);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      const { message } = await repo.append({ chatId: 'c1', from: { id: 'a', name: '甲' }, kind: 'text', text: [{ text: `${i}` }], at: i }, i % 3 === 0 ? `k${i}` : undefined);
      ids.push(message.id);
    }
    const length = await redis.llen(`${prefix}:sandbox:chat:c1:log`);
    expect(length).toBeGreaterThanOrEqual(20);
    expect(length).toBeLessThanOrEqual(21); // 1% over the cap at most (at least one message)
    const page = await repo.page('c1', { limit: 200 });
    expect(page?.messages.map((m) => m.id)).toEqual(ids.slice(-length));
    expect(page?.more).toBe(false);
    expect(await repo.get(ids[0] ?? '')).toBeUndefined();
    const stored = await redis.keys(`${prefix}:sandbox:msg:*`);
    expect(stored.sort()).toEqual(ids.slice(-length).map((id) => `${prefix}:sandbox:msg:${id}`).sort());
  });

  it('should keep every message of a chat by default (no limit set)', async () => {
    const repo = new SandboxRepo(redis, tx, `${prefix}-all`);
    await repo.createChat({ id: 'c1', name: '一支部' }, [{ id: 'a', name: '甲' }]);
    for (let i = 0; i < 150; i++) await repo.append({ chatId: 'c1', from: { id: 'a', name: '甲' }, kind: 'text', text: [{ text: `${i}` }], at: i });
    expect(await redis.llen(`${prefix}-all:sandbox:chat:c1:log`)).toBe(150);
    await removePrefix(`${prefix}-all`);
  });

  it('should read the limit from SANDBOX_HISTORY_LIMIT, keeping every message when it is 0', () => {
    expect(loadConfig({}).SANDBOX_HISTORY_LIMIT).toBe(0);
    expect(loadConfig({ SANDBOX_HISTORY_LIMIT: '10000' }).SANDBOX_HISTORY_LIMIT).toBe(10000);
    expect(() => loadConfig({ SANDBOX_HISTORY_LIMIT: '-1' })).toThrow(/SANDBOX_HISTORY_LIMIT/);
  });
});
