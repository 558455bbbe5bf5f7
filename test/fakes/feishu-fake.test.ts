import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import express from 'express';
import {
  cardActionEvent,
  DEFAULT_BOT_OPEN_ID,
  decryptFromFeishu,
  encryptForFeishu,
  FakeFeishu,
  feishuSignature,
  memberEvent,
  messageEvent,
  pushToBot,
  sdkFailure,
  silentLarkLogger,
  urlVerification,
  type FakeChat,
  type FakeFeishuOptions,
} from './feishu';

const CHAT = 'oc_fake_chat_1';
const chatFixture = (): FakeChat => ({
  chatId: CHAT,
  name: '党支部',
  ownerId: 'ou_owner',
  managers: ['ou_mgr1', 'ou_mgr2'],
  members: ['a', 'b', 'c', 'd', 'e'].map((x) => ({ open_id: `ou_${x}`, name: `成员${x}` })),
});
const card1 = (title: string, updateMulti = true): string =>
  JSON.stringify({
    config: { update_multi: updateMulti },
    header: { title: { tag: 'plain_text', content: title } },
    elements: [{ tag: 'markdown', content: title }],
  });
const text = (t: string): string => JSON.stringify({ text: t });

let fake: FakeFeishu;
let client: lark.Client;

const newClient = (f: FakeFeishu): lark.Client =>
  new lark.Client({
    appId: f.appId,
    appSecret: f.appSecret,
    domain: f.baseUrl,
    cache: new lark.DefaultCache(),
    loggerLevel: lark.LoggerLevel.fatal, // 0 is falsy: the SDK turns it into `info`, hence the silent logger
    logger: silentLarkLogger,
  });

async function setup(opts?: FakeFeishuOptions): Promise<void> {
  fake = new FakeFeishu(opts);
  await fake.start();
  fake.addChat(chatFixture());
  client = newClient(fake);
}
afterEach(async () => {
  await fake.stop();
});

const send = (content = text('hi'), extra: { uuid?: string; msg_type?: string } = {}) =>
  client.im.v1.message.create({
    params: { receive_id_type: 'chat_id' },
    data: { receive_id: CHAT, msg_type: extra.msg_type ?? 'text', content, ...(extra.uuid ? { uuid: extra.uuid } : {}) },
  });

const rejection = async (p: Promise<unknown>) => {
  const f = await sdkFailure(p);
  expect(f.name).toBe('AxiosError');
  return f;
};

describe('FakeFeishu with the real SDK', () => {
  beforeEach(() => setup());

  test('fetches a token once and sends it as Bearer', async () => {
    await send();
    await send();
    expect(fake.tokenCalls()).toBe(1);
    const tokenCall = fake.calls.find((c) => c.path.endsWith('/tenant_access_token/internal'));
    expect(tokenCall?.body).toEqual({ app_id: fake.appId, app_secret: fake.appSecret });
    const token = (tokenCall?.response as { tenant_access_token: string }).tenant_access_token;
    const creates = fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages');
    expect(creates).toHaveLength(2);
    expect(creates[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(creates[0]?.query).toEqual({ receive_id_type: 'chat_id' });
  });

  test('creates a message, records it, de-duplicates by uuid', async () => {
    const res = await send(card1('Deploy'), { msg_type: 'interactive', uuid: 'u-1' });
    expect(res.code).toBe(0);
    expect(res.data?.message_id).toMatch(/^om_[0-9a-f]{32}$/);
    expect(res.data?.chat_id).toBe(CHAT);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ chatId: CHAT, msgType: 'interactive', uuid: 'u-1', patches: [] });
    const again = await send(card1('Deploy'), { msg_type: 'interactive', uuid: 'u-1' });
    expect(again.data?.message_id).toBe(res.data?.message_id);
    expect(fake.messagesIn(CHAT)).toHaveLength(1);
  });

  test('reply sets parentId', async () => {
    const first = await send();
    const parent = first.data?.message_id ?? '';
    const r = await client.im.v1.message.reply({ path: { message_id: parent }, data: { msg_type: 'text', content: text('re') } });
    expect(r.data?.parent_id).toBe(parent);
    expect(fake.messages[1]).toMatchObject({ parentId: parent, chatId: CHAT, content: { text: 're' } });
  });

  test('patch records the new card and needs update_multi', async () => {
    const shared = await send(card1('v1'), { msg_type: 'interactive' });
    const id = shared.data?.message_id ?? '';
    const p = await client.im.v1.message.patch({ path: { message_id: id }, data: { content: card1('v2') } });
    expect(p.code).toBe(0);
    expect(fake.message(id)?.patches).toEqual([JSON.parse(card1('v2'))]);
    const solo = await send(card1('solo', false), { msg_type: 'interactive' });
    const patchSolo = client.im.v1.message.patch({
      path: { message_id: solo.data?.message_id ?? '' },
      data: { content: card1('v2') },
    });
    expect(await rejection(patchSolo)).toMatchObject({ status: 400, code: 230099 });
  });

  test('a 2.0 card with tag action is refused with 230099', async () => {
    const bad = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'action', actions: [] }] } });
    expect(await rejection(send(bad, { msg_type: 'interactive' }))).toMatchObject({ status: 400, code: 230099 });
    expect(fake.messages).toHaveLength(0);
  });

  test('members paginate over 3 pages of 2', async () => {
    const pages: { items: string[]; hasMore: unknown; token: unknown; total: unknown }[] = [];
    let pageToken: string | undefined;
    do {
      const r = await client.im.v1.chatMembers.get({
        path: { chat_id: CHAT },
        params: { member_id_type: 'open_id', page_size: 2, ...(pageToken ? { page_token: pageToken } : {}) },
      });
      pages.push({
        items: (r.data?.items ?? []).map((i) => i.member_id ?? ''),
        hasMore: r.data?.has_more,
        token: r.data?.page_token,
        total: r.data?.member_total,
      });
      pageToken = r.data?.has_more ? r.data.page_token : undefined;
    } while (pageToken);
    expect(pages.map((p) => p.items)).toEqual([['ou_a', 'ou_b'], ['ou_c', 'ou_d'], ['ou_e']]);
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages[2]?.token).toBeUndefined();
    expect(pages.every((p) => p.total === 5)).toBe(true);
    const getCall = fake.calls.find((c) => c.method === 'GET');
    expect(getCall?.body).toEqual({});
  });

  test('chat info returns owner and managers', async () => {
    const r = await client.im.v1.chat.get({ path: { chat_id: CHAT } });
    expect(r.data).toMatchObject({ name: '党支部', owner_id: 'ou_owner', owner_id_type: 'open_id' });
    expect(r.data?.user_manager_id_list).toEqual(['ou_mgr1', 'ou_mgr2']);
    expect(await rejection(client.im.v1.chat.get({ path: { chat_id: 'oc_nope' } }))).toMatchObject({ code: 232006 });
  });

  test('expired tokens give 99991663 until a fresh client fetches a new one', async () => {
    await send();
    fake.expireTokens();
    expect(await rejection(send())).toMatchObject({ status: 400, code: 99991663 });
    await expect(send()).rejects.toThrow(); // the SDK never drops the stale token
    client = newClient(fake);
    expect((await send()).code).toBe(0);
  });

  test('6 creates in one second to one chat: one 230020', async () => {
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await send().then(() => 'ok', (e: unknown) => sdkFailure(Promise.reject(e))));
    expect(results.filter((r) => r !== 'ok')).toEqual([expect.objectContaining({ status: 400, code: 230020 })]);
    expect(fake.messagesIn(CHAT)).toHaveLength(5);
    expect(fake.stats().rateLimited230020).toBe(1);
  });

  test('injected 5xx faults fail every API call and create nothing', async () => {
    fake.injectFaults({ rate: 1, kinds: ['5xx'], seed: 42 });
    for (let i = 0; i < 3; i++) expect([500, 503]).toContain((await rejection(send())).status);
    expect(fake.messages).toHaveLength(0);
    expect(fake.stats().faultsInjected).toBe(3);
    fake.injectFaults(null);
    expect((await send()).code).toBe(0);
  });

  test('failNext, timeout and slow faults', async () => {
    fake.failNext('230002');
    expect(await rejection(send())).toMatchObject({ code: 230002 });
    fake.injectFaults({ rate: 0, kinds: ['slow'], slowMs: 150, timeoutMs: 100 });
    fake.failNext('timeout');
    await expect(send()).rejects.toThrow(/socket hang up|ECONNRESET/);
    fake.injectFaults({ rate: 1, kinds: ['slow'], slowMs: 150 });
    const t0 = Date.now();
    expect((await send()).code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(fake.messages).toHaveLength(1);
    expect(fake.calls.filter((c) => c.fault === 'timeout').map((c) => c.status)).toEqual([0]);
  });

  test('messages older than 14 days cannot be patched', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    await fake.stop();
    await setup({ now: () => now });
    const r = await send(card1('old'), { msg_type: 'interactive' });
    now += 15 * 24 * 3600 * 1000;
    const p = client.im.v1.message.patch({ path: { message_id: r.data?.message_id ?? '' }, data: { content: card1('x') } });
    expect(await rejection(p)).toMatchObject({ status: 400, code: 230031 });
  });
});

test('app limit: 15 concurrent calls over appPerSecond 10 get some 429', async () => {
  await setup({ appPerSecond: 10 });
  const outcomes = await Promise.all(
    Array.from({ length: 15 }, () =>
      client.im.v1.chat.get({ path: { chat_id: CHAT } }).then(
        () => null,
        (e: unknown) => sdkFailure(Promise.reject(e)),
      ),
    ),
  );
  const limited = outcomes.filter((o) => o !== null);
  expect(limited.length).toBeGreaterThanOrEqual(1); // 5 unless the 15 calls straddle a second
  expect(limited.length).toBeLessThanOrEqual(5);
  for (const o of limited) {
    expect(o).toMatchObject({ status: 429, code: 99991400 });
    expect(o?.headers['x-ogw-ratelimit-reset']).toBe('1');
    expect(o?.headers['x-ogw-ratelimit-limit']).toBe('10');
  }
  expect(fake.stats().rateLimited429).toBe(limited.length);
});

describe('encryption and signature', () => {
  test('the official test vector decrypts', () => {
    expect(decryptFromFeishu('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });
  test('encrypt/decrypt round trip', () => {
    const obj = { a: 1, s: '落实' };
    const enc = encryptForFeishu(obj, 'k');
    expect(enc).not.toBe(encryptForFeishu(obj, 'k')); // random IV
    expect(JSON.parse(decryptFromFeishu(enc, 'k'))).toEqual(obj);
  });
  test('signature is hex(sha256(ts + nonce + key + body))', () => {
    expect(feishuSignature('1718000000', 'abcdef', 'enc-key-1', '{"encrypt":"x"}')).toBe(
      '1ea3d89a85e997ed8ee205756e99b45630ceae553e9eb26daab8c16ad45dc19a',
    );
  });
});

describe('pushToBot into lark.EventDispatcher + adaptExpress', () => {
  const encryptKey = 'enc-key-1';
  let server: Server;
  let url: string;
  const received: { type: string; data: unknown }[] = [];
  const keep = (type: string) => async (data: unknown) => {
    received.push({ type, data });
    return type === 'card' ? { toast: { type: 'success', content: 'ok' } } : {};
  };

  beforeAll(async () => {
    const dispatcher = new lark.EventDispatcher({ encryptKey, logger: silentLarkLogger }).register<{
      'card.action.trigger': (d: unknown) => Promise<unknown>;
    }>({
      'im.message.receive_v1': keep('message'),
      'im.chat.member.user.added_v1': keep('member'),
      'card.action.trigger': keep('card'),
    });
    const app = express();
    app.use(express.json());
    app.post('/webhook/event', lark.adaptExpress(dispatcher, { autoChallenge: true, logger: silentLarkLogger }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    return setup();
  });

  test('a validly signed encrypted event reaches the handler decrypted', async () => {
    const ev = messageEvent({
      chatId: CHAT,
      senderOpenId: 'ou_a',
      text: '/assign',
      mentionBot: true,
      extraMentions: [{ openId: 'ou_b', name: 'B' }],
    });
    const r = await pushToBot(url, ev, { encryptKey });
    expect(r.status).toBe(200);
    expect(received.map((x) => x.type)).toEqual(['message']);
    const data = received[0]?.data as { event_id: string; message: { chat_id: string; content: string; mentions: unknown[] } };
    expect(data.event_id).toBe(ev.header.event_id);
    expect(data.message.chat_id).toBe(CHAT);
    expect(JSON.parse(data.message.content)).toEqual({ text: '@_user_1 /assign @_user_2' });
    expect(data.message.mentions).toMatchObject([{ key: '@_user_1', id: { open_id: DEFAULT_BOT_OPEN_ID } }, { key: '@_user_2' }]);
  });

  test('a forged or missing signature is dropped with an empty 200', async () => {
    const ev = messageEvent({ chatId: CHAT, senderOpenId: 'ou_a', text: 'x' });
    for (const signature of ['forged', 'missing'] as const) {
      const r = await pushToBot(url, ev, { encryptKey, signature });
      expect(r).toMatchObject({ status: 200, text: '' });
    }
    expect(received).toHaveLength(0);
  });

  test('url verification, card actions and member events', async () => {
    const challenge = await pushToBot(url, urlVerification('ch-1', 'vt'), { encryptKey, signature: 'missing' });
    expect(challenge.json).toEqual({ challenge: 'ch-1' });
    const card = cardActionEvent({ chatId: CHAT, messageId: 'om_1', operatorOpenId: 'ou_a', value: { cmd: 'done' }, cardToken: 'c-1' });
    expect((await pushToBot(url, card, { encryptKey })).json).toEqual({ toast: { type: 'success', content: 'ok' } });
    await pushToBot(url, memberEvent('added', { chatId: CHAT, users: [{ openId: 'ou_z', name: 'Z' }] }), { encryptKey });
    expect(received.map((x) => x.type)).toEqual(['card', 'member']);
    expect(received[0]?.data).toMatchObject({
      token: 'c-1',
      operator: { open_id: 'ou_a' },
      action: { value: { cmd: 'done' }, tag: 'button' },
      context: { open_message_id: 'om_1', open_chat_id: CHAT },
    });
    expect(received[1]?.data).toMatchObject({ chat_id: CHAT, users: [{ name: 'Z', user_id: { open_id: 'ou_z' } }] });
  });
});
