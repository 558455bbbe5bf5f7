import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import {
  cardCallback,
  FakeDingTalk,
  pushHttp,
  QPS_CODE,
  robotMessage,
  SESSION_EXPIRED_ERRCODE,
  signHttp,
  type FakeDingTalkOptions,
} from './dingtalk';
import { WebSocket, wsDataToString, type WsSocket } from './dingtalk/ws-lib';

const CID = 'cidFakeGroup001==';
/** The legacy chatid of CID (a group made through the API): the only id /chat/get takes. */
const CHAT_ID = 'chat0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const SCENE = 'cidSceneGroup002==';
const T0 = 1_750_000_000_000;
let clock = T0;
let fake: FakeDingTalk;

async function setup(opts: FakeDingTalkOptions = {}): Promise<void> {
  clock = T0;
  fake = new FakeDingTalk({ now: () => clock, ...opts });
  await fake.start();
  fake.addGroup({ openConversationId: CID, title: '第一党支部', ownerUserId: 'u1', memberUserIds: ['u1', 'u2', 'u3'], chatId: CHAT_ID });
  fake.addGroup({ openConversationId: SCENE, title: '场景群', memberUserIds: ['u1', 'u2', 'u3', 'u4', 'u5'], scene: true });
  for (const [i, name] of ['张三', '李四', '王五', '赵六', '孙七'].entries()) {
    fake.addUser({ userId: `u${i + 1}`, name, deptIds: i < 3 ? [100] : [200] });
  }
}
afterEach(async () => {
  await fake.stop();
});

interface Res {
  status: number;
  json: Record<string, unknown>;
  text: string;
}
async function http(method: string, path: string, o: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...o.headers };
  if (o.token) headers['x-acs-dingtalk-access-token'] = o.token;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const res = await fetch(`${fake.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* html/xml */
  }
  return { status: res.status, json, text };
}
async function token(): Promise<string> {
  const r = await http('POST', '/v1.0/oauth2/accessToken', { body: { appKey: fake.clientId, appSecret: fake.clientSecret } });
  return r.json.accessToken as string;
}
const groupMsg = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  robotCode: fake.robotCode,
  openConversationId: CID,
  msgKey: 'sampleMarkdown',
  msgParam: JSON.stringify({ title: '提醒', text: '### 周会\n请确认' }),
  ...over,
});
const sendGroup = async (over: Record<string, unknown> = {}, tok?: string): Promise<Res> =>
  http('POST', '/v1.0/robot/groupMessages/send', { body: groupMsg(over), token: tok ?? (await token()) });

describe('tokens', () => {
  beforeEach(() => setup());

  test('new API: same token while valid, bad secrets refused, JSON only', async () => {
    const a = await http('POST', '/v1.0/oauth2/accessToken', { body: { appKey: fake.clientId, appSecret: fake.clientSecret } });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expireIn: 7200 });
    expect(await token()).toBe(a.json.accessToken);
    const bad = await http('POST', '/v1.0/oauth2/accessToken', { body: { appKey: fake.clientId, appSecret: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'invalidClientIdOrSecret', requestid: expect.any(String) });
    const form = await http('POST', '/v1.0/oauth2/accessToken', {
      raw: `appKey=${fake.clientId}&appSecret=${fake.clientSecret}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(400);
    expect(form.json.code).toBe('Missingbody');
  });

  test('oapi /gettoken shares the token; expireTokens invalidates it; tokenCalls counts both', async () => {
    const t = await token();
    const g = await http('GET', `/gettoken?appkey=${fake.clientId}&appsecret=${fake.clientSecret}`);
    expect(g.json).toEqual({ errcode: 0, errmsg: 'ok', access_token: t, expires_in: 7200 });
    const bad = await http('GET', `/gettoken?appkey=${fake.clientId}&appsecret=x`);
    expect(bad.status).toBe(200);
    expect(bad.json.errcode).toBe(40089);
    expect(fake.tokenCalls()).toBe(3);
    fake.expireTokens();
    const r = await sendGroup({}, t);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('InvalidAuthentication');
    expect(await token()).not.toBe(t);
  });

  test('tokens expire on the injected clock', async () => {
    const t = await token();
    clock += 7200 * 1000 + 1;
    expect((await sendGroup({}, t)).json.code).toBe('InvalidAuthentication');
  });

  test('missing token: 400 Missingx-acs-dingtalk-access-token (new API), errcode 40014 (oapi)', async () => {
    const r = await http('POST', '/v1.0/robot/groupMessages/send', { body: groupMsg() });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'Missingx-acs-dingtalk-access-token' });
    const o = await http('POST', '/topapi/user/listid', { body: { dept_id: 100 } });
    expect(o.status).toBe(200);
    expect(o.json.errcode).toBe(40014);
    expect(fake.sent).toHaveLength(0);
  });
});

describe('robot messages', () => {
  beforeEach(() => setup());

  test('group send stores the message with parsed msgParam', async () => {
    const r = await sendGroup();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ processQueryKey: expect.any(String) });
    expect(fake.sentTo(CID)).toEqual([
      expect.objectContaining({ kind: 'group', msgKey: 'sampleMarkdown', msgParam: { title: '提醒', text: '### 周会\n请确认' }, processQueryKey: r.json.processQueryKey, at: T0 }),
    ]);
    const call = fake.calls.find((c) => c.path === '/v1.0/robot/groupMessages/send');
    expect(call).toMatchObject({ method: 'POST', status: 200, response: r.json });
  });

  test.each([
    ['msgParam as an object', { msgParam: { title: 't', text: 'x' } }, 'invalidParameter.msgParam.invalid'],
    ['msgParam not JSON', { msgParam: '{title:' }, 'invalidParameter.msgParam.invalid'],
    ['msgParam missing text', { msgParam: JSON.stringify({ title: 't' }) }, 'invalidParameter.msgParam.invalid'],
    ['msgParam too long', { msgParam: JSON.stringify({ title: 't', text: 'x'.repeat(15001) }) }, 'invalidParameter.msgParam.tooLong'],
    ['unknown msgKey', { msgKey: 'markdown' }, 'invalidParameter.msgKey.invalid'],
    ['empty robotCode', { robotCode: '' }, 'invalidParameter.robotCode.empty'],
    ['other robotCode', { robotCode: 'dingother' }, 'invalidParameter.robotCode.notExsit'],
    ['unknown group', { openConversationId: 'cidNope' }, 'invalid.openConversationId'],
  ])('refuses %s', async (_name, over, code) => {
    const r = await sendGroup(over);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code, message: expect.any(String), requestid: expect.any(String) });
    expect(fake.sent).toHaveLength(0);
  });

  test('robot removed from the group, and failNext(robotNotInGroup)', async () => {
    const t = await token();
    fake.failNext('robotNotInGroup');
    expect((await http('POST', '/v1.0/im/sceneGroups/members/batchQuery', { body: { openConversationId: SCENE, maxResults: 10 }, token: t })).status).toBe(200);
    expect((await sendGroup({}, t)).json.code).toBe('invalid.openConversationId');
    expect((await sendGroup({}, t)).status).toBe(200);
    fake.addGroup({ openConversationId: 'cidOut', title: 'x', memberUserIds: [], botInGroup: false });
    expect((await sendGroup({ openConversationId: 'cidOut' }, t)).json.code).toBe('invalid.openConversationId');
    expect(fake.sent).toHaveLength(1);
  });

  test('oToMessages: ≤ 20 userIds, unknown users reported', async () => {
    const t = await token();
    const body = { robotCode: fake.robotCode, msgKey: 'sampleText', msgParam: JSON.stringify({ content: 'hi' }) };
    const ok = await http('POST', '/v1.0/robot/oToMessages/batchSend', { body: { ...body, userIds: ['u1', 'ghost'] }, token: t });
    expect(ok.json).toEqual({ processQueryKey: expect.any(String), invalidStaffIdList: ['ghost'], flowControlledStaffIdList: [] });
    expect(fake.sent[0]).toMatchObject({ kind: 'oto', userIds: ['u1'], msgParam: { content: 'hi' } });
    const many = Array.from({ length: 21 }, (_, i) => `u${i}`);
    const r = await http('POST', '/v1.0/robot/oToMessages/batchSend', { body: { ...body, userIds: many }, token: t });
    expect(r.status).toBe(400);
    expect(fake.sent).toHaveLength(1);
  });

  test('recall and read query', async () => {
    const t = await token();
    const key = (await sendGroup({}, t)).json.processQueryKey as string;
    const q = { robotCode: fake.robotCode, openConversationId: CID };
    const rc = await http('POST', '/v1.0/robot/groupMessages/recall', { body: { ...q, processQueryKeys: [key, 'nope'] }, token: t });
    expect(rc.json).toEqual({ successResult: [key], failedResult: { nope: 'message not found' } });
    const rd = await http('POST', '/v1.0/robot/groupMessages/query', { body: { ...q, processQueryKey: key, maxResults: 200 }, token: t });
    expect(rd.json).toEqual({ sendStatus: 'RECALLED', readUserIds: [], hasMore: false });
    expect(fake.sent[0]?.recalled).toBe(true);
  });

  test('sessionWebhook works without a token, then expires (errcode 300001)', async () => {
    const payload = fake.robotMessage({ conversationId: CID, senderStaffId: 'u2', senderNick: '李四', text: '确认参加' });
    const hook = payload.sessionWebhook as string;
    expect(hook.startsWith(`${fake.baseUrl}/robot/sendBySession?session=`)).toBe(true);
    expect(payload.sessionWebhookExpiredTime).toBe(T0 + 90 * 60 * 1000);
    expect(fake.sessionWebhookExpiredTime(hook)).toBe(T0 + 90 * 60 * 1000);
    const msg = { msgtype: 'text', text: { content: '已记录 @u2' }, at: { atUserIds: ['u2'] } };
    const ok = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg) });
    expect(await ok.json()).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(fake.sentTo(CID)).toEqual([expect.objectContaining({ kind: 'session', msgKey: 'text', msgParam: { content: '已记录 @u2' }, body: msg })]);
    const bad = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgtype: 'sampleText' }) });
    expect(((await bad.json()) as { errcode: number }).errcode).toBe(400105);
    clock += 90 * 60 * 1000;
    const late = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg) });
    expect(await late.json()).toEqual({ errcode: SESSION_EXPIRED_ERRCODE, errmsg: expect.any(String) });
    expect(fake.sent).toHaveLength(1);
  });
});

describe('limits and faults', () => {
  test('qps 3: five concurrent sends → three pass, two 403 QpsLimitForAppkeyAndApi; oapi → 90018', async () => {
    await setup({ qpsPerApi: 3 });
    const t = await token();
    const rs = await Promise.all(Array.from({ length: 5 }, () => sendGroup({}, t)));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 403, 403]);
    expect(rs.find((r) => r.status === 403)?.json).toMatchObject({ code: QPS_CODE, message: expect.any(String), requestid: expect.any(String) });
    expect(fake.sent).toHaveLength(3);
    const os = await Promise.all(Array.from({ length: 5 }, () => http('POST', `/topapi/user/listid?access_token=${t}`, { body: { dept_id: 100 } })));
    expect(os.map((r) => r.json.errcode).sort()).toEqual([0, 0, 0, 90018, 90018]);
    expect(fake.stats()).toMatchObject({ throttled: 4, faultsInjected: 0 });
    expect(fake.stats().byPath['/v1.0/robot/groupMessages/send']).toBe(5);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await sendGroup({}, t)).status).toBe(200);
  });

  test('failNext and injectFaults', async () => {
    await setup();
    const t = await token();
    fake.failNext('5xx');
    fake.failNext('throttle');
    fake.failNext('invalidToken');
    expect((await sendGroup({}, t)).status).toBeGreaterThanOrEqual(500);
    expect((await sendGroup({}, t)).json.code).toBe(QPS_CODE);
    expect((await sendGroup({}, t)).json.code).toBe('InvalidAuthentication');
    expect((await sendGroup({}, t)).status).toBe(200);
    fake.injectFaults({ rate: 1, kinds: ['throttle'], seed: 3 });
    expect((await http('GET', `/chat/get?access_token=${t}&chatid=${CID}`)).json.errcode).toBe(90018);
    fake.injectFaults(null);
    expect(fake.stats()).toMatchObject({ throttled: 0, faultsInjected: 4 });
    expect(fake.sent).toHaveLength(1);
  });

  test('timeout fault holds the request, then drops the socket', async () => {
    await setup();
    const t = await token();
    fake.injectFaults({ rate: 1, kinds: ['timeout'], timeoutMs: 200 });
    await expect(sendGroup({}, t)).rejects.toThrow();
    fake.injectFaults(null);
    expect(fake.sent).toHaveLength(0);
  });
});

describe('cards', () => {
  beforeEach(() => setup());
  const card = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    cardTemplateId: 'tpl-1.schema',
    outTrackId: 'evt-1-v1',
    callbackType: 'STREAM',
    cardData: { cardParamMap: { title: '周会', status: 'pending', confirmed: '["u1"]', count: '3' } },
    openSpaceId: `dtv1.card//IM_GROUP.${CID}`,
    imGroupOpenDeliverModel: { robotCode: fake.robotCode, atUserIds: { u2: '李四' } },
    userIdType: 1,
    ...over,
  });

  test('createAndDeliver then PUT merge by key, then overwrite', async () => {
    const t = await token();
    const c = await http('POST', '/v1.0/card/instances/createAndDeliver', { body: card(), token: t });
    expect(c.status).toBe(200);
    expect(c.json).toEqual({
      success: true,
      result: { outTrackId: 'evt-1-v1', deliverResults: [{ spaceType: 'IM_GROUP', spaceId: CID, success: true, carrierId: expect.any(String), errorMsg: '' }] },
    });
    expect(fake.cards.get('evt-1-v1')).toMatchObject({ cardTemplateId: 'tpl-1.schema', atUserIds: { u2: '李四' }, callbackType: 'STREAM', updates: [] });
    expect(fake.sentTo(CID)[0]).toMatchObject({ kind: 'card', msgParam: { status: 'pending' } });
    const merge = { outTrackId: 'evt-1-v1', cardData: { cardParamMap: { status: 'closed' } }, cardUpdateOptions: { updateCardDataByKey: true } };
    const u = await http('PUT', '/v1.0/card/instances', { body: merge, token: t });
    expect(u.json).toEqual({ success: true, result: true });
    expect(fake.cards.get('evt-1-v1')?.cardData).toEqual({ title: '周会', status: 'closed', confirmed: '["u1"]', count: '3' });
    await http('PUT', '/v1.0/card/instances', { body: { outTrackId: 'evt-1-v1', cardData: { cardParamMap: { status: 'x' } } }, token: t });
    expect(fake.cards.get('evt-1-v1')?.cardData).toEqual({ status: 'x' });
    expect(fake.cards.get('evt-1-v1')?.updates).toEqual([{ status: 'closed' }, { status: 'x' }]);
    const none = await http('PUT', '/v1.0/card/instances', { body: { ...merge, outTrackId: 'nope' }, token: t });
    expect(none).toMatchObject({ status: 400, json: { code: 'param.cardNotExist' } });
    const empty = await http('PUT', '/v1.0/card/instances', { body: { outTrackId: 'evt-1-v1' }, token: t });
    expect(empty.json.code).toBe('param.cardDataAndPrivateDataBothEmpty');
  });

  test.each([
    ['duplicate outTrackId', {}, 'param.cardAlreadyExist'],
    ['a number in cardParamMap', { outTrackId: 'n', cardData: { cardParamMap: { count: 3 } } }, 'param.error'],
    ['a bad openSpaceId', { outTrackId: 'o', openSpaceId: CID }, 'param.openSpaceIdInvalid'],
    ['no deliver model', { outTrackId: 'd', imGroupOpenDeliverModel: undefined }, 'param.openDeliverModelEmpty'],
    ['another robotCode', { outTrackId: 'r', imGroupOpenDeliverModel: { robotCode: 'x' } }, 'invalid.robotCode'],
    ['no template', { outTrackId: 't', cardTemplateId: '' }, 'param.templateNotExist'],
  ])('refuses %s', async (_n, over, code) => {
    const t = await token();
    expect((await http('POST', '/v1.0/card/instances/createAndDeliver', { body: card(), token: t })).status).toBe(200);
    const r = await http('POST', '/v1.0/card/instances/createAndDeliver', { body: card(over), token: t });
    expect(r).toMatchObject({ status: 400, json: { code } });
    expect(fake.cards.size).toBe(1);
    expect(fake.sent).toHaveLength(1);
  });

  test('robot not in the group: card created, delivery failed inside a 200', async () => {
    const t = await token();
    fake.failNext('robotNotInGroup');
    const r = await http('POST', '/v1.0/card/instances/createAndDeliver', { body: card(), token: t });
    expect(r.json).toMatchObject({ success: true, result: { deliverResults: [{ success: false, errorMsg: 'robot is not in the group' }] } });
    expect(fake.cards.get('evt-1-v1')?.delivered).toBe(false);
    expect(fake.sent).toHaveLength(0);
  });
});

describe('members', () => {
  beforeEach(() => setup());

  test('scene group members paginate with nextToken/hasMore', async () => {
    const t = await token();
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const r = await http('POST', '/v1.0/im/sceneGroups/members/batchQuery', { body: { openConversationId: SCENE, maxResults: 2, ...(nextToken ? { nextToken } : {}) }, token: t });
      expect(r.json.success).toBe(true);
      pages.push(r.json.memberUserIds as string[]);
      nextToken = r.json.hasMore === true ? (r.json.nextToken as string) : undefined;
      if (r.json.hasMore !== true) expect(r.json.nextToken).toBeUndefined();
    } while (nextToken);
    expect(pages).toEqual([['u1', 'u2'], ['u3', 'u4'], ['u5']]);
    const one = await http('POST', '/v1.0/im/sceneGroups/members/batchQuery', { body: { openConversationId: SCENE, maxResults: 1000 }, token: t });
    expect(one.json).toMatchObject({ hasMore: false, staffIdNickMap: { u1: '张三', u5: '孙七' } });
    expect((one.json.unionIdList as string[]).length).toBe(5);
    const plain = await http('POST', '/v1.0/im/sceneGroups/members/batchQuery', { body: { openConversationId: CID, maxResults: 10 }, token: t });
    expect(plain).toMatchObject({ status: 400, json: { code: 'groupPermissionDenied' } });
  });

  test('topapi/user/listid and chat/get (oapi style)', async () => {
    const t = await token();
    const l = await http('POST', `/topapi/user/listid?access_token=${t}`, { body: { dept_id: 100 } });
    expect(l.json).toMatchObject({ errcode: 0, errmsg: 'ok', result: { userid_list: ['u1', 'u2', 'u3'] } });
    const form = await http('POST', `/topapi/user/listid?access_token=${t}`, { raw: 'dept_id=200', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((form.json.result as { userid_list: string[] }).userid_list).toEqual(['u4', 'u5']);
    expect((await http('POST', `/topapi/user/listid?access_token=${t}`, { body: { dept_id: 999 } })).json.errcode).toBe(60003);
    const c = await http('GET', `/chat/get?access_token=${t}&chatid=${CHAT_ID}`);
    expect(c.json).toMatchObject({ errcode: 0, chat_info: { chatid: CHAT_ID, name: '第一党支部', owner: 'u1', useridlist: ['u1', 'u2', 'u3'] } });
    // Not the openConversationId: /chat/get takes only a chatid from the create-group API.
    expect((await http('GET', `/chat/get?access_token=${t}&chatid=${encodeURIComponent(CID)}`)).json.errcode).toBe(40035);
    expect((await http('GET', `/chat/get?access_token=bad&chatid=${CHAT_ID}`)).json.errcode).toBe(40014);
  });

  test('sceneGroups/query: the brief information of a scene group, refused for other groups', async () => {
    const t = await token();
    const scene = await http('POST', '/v1.0/im/sceneGroups/query', { body: { openConversationId: SCENE }, token: t });
    expect(scene).toMatchObject({ status: 200, json: { success: true, openConversationId: SCENE, title: '场景群', ownerUserId: 'u1' } });
    const plain = await http('POST', '/v1.0/im/sceneGroups/query', { body: { openConversationId: CID }, token: t });
    expect(plain).toMatchObject({ status: 400, json: { code: 'groupPermissionDenied' } });
    const unknown = await http('POST', '/v1.0/im/sceneGroups/query', { body: { openConversationId: 'cidNoSuch==' }, token: t });
    expect(unknown).toMatchObject({ status: 400, json: { code: 'invalid.openConversationId' } });
    expect(await http('POST', '/v1.0/im/sceneGroups/query', { body: {}, token: t })).toMatchObject({ status: 400, json: { code: 'MissingopenConversationId' } });
  });
});

describe('HTTP mode signing', () => {
  test('the contract test vector', () => {
    expect(signHttp(1577262236757, 'this is a secret')).toBe('DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=');
  });

  test('pushHttp signs like DingTalk: valid / bad / missing / stale', async () => {
    const secret = 'app-secret-1';
    const seen: unknown[] = [];
    const bot: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const ts = String(req.headers.timestamp ?? '');
        const sign = String(req.headers.sign ?? '');
        const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`, 'utf8').digest('base64');
        const ok = Math.abs(Date.now() - Number(ts)) <= 3_600_000 && sign.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sign));
        if (ok) seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { msgtype: 'empty' } : { error: 'bad sign' }));
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/dingtalk`;
    try {
      const p = robotMessage({ conversationId: CID, senderStaffId: 'u1', senderNick: '张三', text: '帮助' });
      const ok = await pushHttp(url, p, { appSecret: secret });
      expect(ok).toMatchObject({ status: 200, json: { msgtype: 'empty' } });
      expect(seen).toEqual([p]);
      expect((await pushHttp(url, p, { appSecret: secret, sign: 'bad' })).status).toBe(401);
      expect((await pushHttp(url, p, { appSecret: secret, sign: 'missing' })).status).toBe(401);
      expect((await pushHttp(url, p, { appSecret: secret, timestamp: Date.now() - 3_700_000 })).status).toBe(401);
    } finally {
      await new Promise<void>((r) => bot.close(() => r()));
    }
  });

  test('robotMessage and cardCallback shapes', () => {
    const p = robotMessage({ conversationId: CID, senderStaffId: 'u1', senderNick: '张三', text: '提醒 @李四', atUsers: [{ staffId: 'u2' }], isAdmin: true });
    expect(p).toMatchObject({ msgtype: 'text', text: { content: ' 提醒 @李四' }, conversationType: '2', conversationId: CID, senderStaffId: 'u1', isAdmin: true, isInAtList: true });
    expect((p.atUsers as { staffId?: string }[]).map((u) => u.staffId)).toEqual([undefined, 'u2']);
    const one = robotMessage({ conversationId: 'cidOto', senderStaffId: 'u1', senderNick: '张三', text: 'hi', conversationType: '1' });
    expect(one).not.toHaveProperty('atUsers');
    const cb = cardCallback({ outTrackId: 'o1', userId: 'u2', params: { action: 'accept' } });
    expect(cb).toMatchObject({ type: 'actionCallback', outTrackId: 'o1', userId: 'u2' });
    expect(JSON.parse(cb.content as string)).toEqual({ cardPrivateData: { actionIds: ['action'], params: { action: 'accept' } } });
  });
});

// ---- Stream mode: a minimal protocol client written here (ws), then the official DWClient ----

interface Downstream {
  specVersion: string;
  type: string;
  headers: Record<string, string>;
  data: string;
}
const SUBS = [
  { type: 'EVENT', topic: '*' },
  { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
  { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
];

class MiniClient {
  readonly frames: Downstream[] = [];
  readonly closed: Promise<void>;
  private waiters: ((f: Downstream) => void)[] = [];
  private read = 0;
  constructor(
    readonly ws: WsSocket,
    onFrame?: (f: Downstream, c: MiniClient) => void,
  ) {
    ws.on('message', (d) => {
      const f = JSON.parse(wsDataToString(d)) as Downstream;
      this.frames.push(f);
      onFrame?.(f, this);
      this.waiters.shift()?.(f);
    });
    this.closed = new Promise((r) => ws.once('close', () => r()));
  }
  next(): Promise<Downstream> {
    const f = this.frames[this.read];
    if (f) {
      this.read += 1;
      return Promise.resolve(f);
    }
    return new Promise((r) => this.waiters.push((x) => { this.read += 1; r(x); }));
  }
  ack(f: Downstream, data: unknown, code = 200): void {
    this.ws.send(JSON.stringify({ code, headers: { contentType: 'application/json', messageId: f.headers.messageId }, message: 'OK', data: JSON.stringify(data) }));
  }
}

async function openGateway(accept = 'application/json', subscriptions: unknown = SUBS, secret?: string): Promise<Res> {
  return http('POST', '/v1.0/gateway/connections/open', {
    headers: { accept },
    body: { clientId: fake.clientId, clientSecret: secret ?? fake.clientSecret, subscriptions, ua: 'luoshi-test/1.0', localIp: '127.0.0.1' },
  });
}
function connectWs(url: string): Promise<WsSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
async function miniClient(onFrame?: (f: Downstream, c: MiniClient) => void): Promise<MiniClient> {
  const g = await openGateway();
  return new MiniClient(await connectWs(`${g.json.endpoint as string}?ticket=${g.json.ticket as string}`), onFrame);
}
const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Stream mode with a minimal client', () => {
  beforeEach(() => setup({ ackTimeoutMs: 300 }));

  test('gateway: JSON with Accept, XML without, 401 authFailed on a bad secret', async () => {
    const g = await openGateway();
    expect(g.json).toEqual({ endpoint: `${fake.baseUrl.replace('http', 'ws')}/connect`, ticket: expect.any(String) });
    const x = await openGateway('*/*');
    expect(x.text).toMatch(/^<\?xml.*<endpoint>ws:\/\/127\.0\.0\.1:\d+\/connect<\/endpoint><ticket>[\w-]+<\/ticket>/);
    expect((await openGateway('application/json', SUBS, 'wrong')).json).toMatchObject({ code: 'authFailed' });
    expect((await openGateway('application/json', [{ type: 'EVENT', topic: 'user_add_org' }])).status).toBe(400);
  });

  test('push a robot message, ack it; unacked frames are listed', async () => {
    const c = await miniClient();
    expect(fake.streamConnections()).toBe(1);
    const payload = fake.robotMessage({ conversationId: CID, senderStaffId: 'u1', senderNick: '张三', text: '提醒 周五' });
    const pushed = fake.pushRobotMessage(payload);
    const f = await c.next();
    expect(f).toMatchObject({ specVersion: '1.0', type: 'CALLBACK', headers: { topic: TOPIC_ROBOT, contentType: 'application/json', messageId: expect.any(String), time: String(T0) } });
    expect(JSON.parse(f.data)).toEqual(payload);
    c.ack(f, { response: null });
    expect(await pushed).toMatchObject({ acked: true, ack: { code: 200, data: '{"response":null}' } });
    const silent = fake.pushRobotMessage(payload);
    const f2 = await c.next();
    expect(await silent).toEqual({ acked: false });
    expect(fake.unackedFrames()).toEqual([f2.headers.messageId]);
    expect(fake.streamProtocolErrors()).toEqual([]);
    c.ws.close();
  });

  test('card callback: the ACK response is returned and applied to the card', async () => {
    const t = await token();
    await http('POST', '/v1.0/card/instances/createAndDeliver', {
      token: t,
      body: { cardTemplateId: 'tpl.schema', outTrackId: 'c1', cardData: { cardParamMap: { status: 'pending' } }, openSpaceId: `dtv1.card//IM_GROUP.${CID}`, imGroupOpenDeliverModel: { robotCode: fake.robotCode } },
    });
    const c = await miniClient((f, me) => {
      if (f.headers.topic !== TOPIC_CARD) return;
      const cb = JSON.parse(f.data) as { userId: string };
      me.ack(f, { response: { cardData: { cardParamMap: { status: `by ${cb.userId}` } }, userPrivateData: { cardParamMap: { mine: 'yes' } }, cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true } } });
    });
    const r = await fake.pushCardCallback(cardCallback({ outTrackId: 'c1', userId: 'u2', params: { action: 'accept' }, openConversationId: CID }));
    expect(r).toMatchObject({ acked: true, applied: true, response: { cardData: { cardParamMap: { status: 'by u2' } } } });
    expect(r.ms).toBeLessThan(2000);
    expect(fake.cards.get('c1')).toMatchObject({ cardData: { status: 'by u2' }, privateData: { u2: { mine: 'yes' } } });
    c.ws.close();
  });

  test('EVENT frames (extension pushEvent) carry event headers and take a status ACK', async () => {
    const c = await miniClient((f, me) => {
      if (f.type === 'EVENT') me.ack(f, { status: 'SUCCESS', message: 'ok' });
    });
    const r = await fake.pushEvent('chat_add_member', { openConversationId: CID, userId: ['u4'] });
    expect(r).toMatchObject({ acked: true, ack: { code: 200 } });
    expect(c.frames[0]).toMatchObject({ type: 'EVENT', headers: { topic: '*', eventType: 'chat_add_member', eventCorpId: expect.any(String) } });
    c.ws.close();
  });

  test('ping is echoed; a ticket works once; dropConnections closes the socket', async () => {
    const g = await openGateway();
    const url = `${g.json.endpoint as string}?ticket=${g.json.ticket as string}`;
    const c = new MiniClient(await connectWs(url), (f, me) => {
      if (f.type === 'SYSTEM' && f.headers.topic === 'ping') me.ws.send(JSON.stringify({ code: 200, headers: f.headers, message: 'OK', data: f.data }));
    });
    expect(await fake.ping()).toBe(true);
    await expect(connectWs(url)).rejects.toThrow(/401/);
    expect(fake.calls.filter((x) => x.path === '/connect').map((x) => x.status)).toEqual([101, 401]);
    fake.dropConnections();
    await c.closed;
    expect(fake.streamConnections()).toBe(0);
    expect(await fake.ping()).toBe(false);
    await expect(fake.pushRobotMessage({})).rejects.toThrow(/no open stream connection/);
  });

  test('an expired ticket is refused; sendDisconnect sends SYSTEM disconnect then closes', async () => {
    const old = await openGateway();
    clock += 90_001;
    await expect(connectWs(`${old.json.endpoint as string}?ticket=${old.json.ticket as string}`)).rejects.toThrow(/401/);
    const c = await miniClient();
    fake.sendDisconnect(50);
    const f = await c.next();
    expect(f).toMatchObject({ type: 'SYSTEM', headers: { topic: 'disconnect' } });
    expect(JSON.parse(f.data)).toEqual({ reason: expect.any(String) });
    await c.closed;
    expect(fake.streamConnections()).toBe(0);
  });
});

/**
 * The official SDK (dingtalk-stream@2.1.5) hard-codes GATEWAY_URL and GET_TOKEN_URL; subclassing works:
 * override getEndpoint() (sets the TS-private `dw_url`) and getAccessToken(). Note: all DWClient instances
 * share one `subscriptions` array (shallow copy of the SDK's defaultConfig), so registerCallbackListener
 * leaks topics across instances in the same process.
 */
class FakeDWClient extends DWClient {
  constructor(
    private readonly fakeBase: string,
    opts: { clientId: string; clientSecret: string },
  ) {
    super(opts);
  }
  override async getEndpoint(): Promise<this> {
    const cfg = this.getConfig();
    const res = await fetch(`${this.fakeBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: cfg.clientId, clientSecret: cfg.clientSecret, ua: cfg.ua, subscriptions: cfg.subscriptions }),
    });
    const j = (await res.json()) as { endpoint?: string; ticket?: string };
    if (!res.ok || !j.endpoint || !j.ticket) throw new Error(`gateway answered ${res.status}`);
    (this as unknown as { dw_url?: string }).dw_url = `${j.endpoint}?ticket=${j.ticket}`;
    return this;
  }
  override async getAccessToken(): Promise<string> {
    const cfg = this.getConfig();
    const res = await fetch(`${this.fakeBase}/gettoken?appkey=${cfg.clientId}&appsecret=${cfg.clientSecret}`);
    const j = (await res.json()) as { access_token?: string };
    if (!j.access_token) throw new Error('getAccessToken: get access_token failed');
    this.config.access_token = j.access_token;
    return j.access_token;
  }
}

describe('official dingtalk-stream DWClient against the fake', () => {
  beforeEach(async () => {
    await setup();
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  test('connects, receives and acks robot + card callbacks, answers ping, reconnects after a drop', async () => {
    const client = new FakeDWClient(fake.baseUrl, { clientId: fake.clientId, clientSecret: fake.clientSecret });
    const got: DWClientDownStream[] = [];
    client
      .registerCallbackListener(TOPIC_ROBOT, (m) => {
        got.push(m);
        client.socketCallBackResponse(m.headers.messageId, null);
      })
      .registerCallbackListener(TOPIC_CARD, (m) => {
        client.socketCallBackResponse(m.headers.messageId, { cardData: { cardParamMap: { status: 'ok' } } });
      });
    try {
      await client.connect();
      expect(client.connected).toBe(true);
      expect(fake.streamConnections()).toBe(1);
      expect(await client.getAccessToken()).toMatch(/^[0-9a-f]{32}$/);
      const r = await fake.pushRobotMessage(fake.robotMessage({ conversationId: CID, senderStaffId: 'u1', senderNick: '张三', text: '名单' }));
      expect(r).toMatchObject({ acked: true, ack: { code: 200, data: '{"response":null}' } });
      expect((JSON.parse(got[0]?.data ?? '{}') as { text: { content: string } }).text.content).toBe(' 名单');
      const cb = await fake.pushCardCallback(cardCallback({ outTrackId: 'none', userId: 'u1', params: {} }));
      expect(cb).toMatchObject({ acked: true, response: { cardData: { cardParamMap: { status: 'ok' } } }, applied: false });
      expect(await fake.ping()).toBe(true);
      fake.dropConnections();
      await until(() => fake.streamConnections() === 0);
      await until(() => fake.streamConnections() === 1); // SDK 2.1.5: fixed 1 s retry with a fresh ticket
      expect(fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open')).toHaveLength(2);
      fake.sendDisconnect(50);
      await until(() => fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open').length === 3);
      await until(() => fake.streamConnections() === 1);
      expect((await fake.pushRobotMessage({ text: { content: ' again' } })).acked).toBe(true);
      expect(fake.streamProtocolErrors()).toEqual([]);
    } finally {
      // disconnect() alone does not cancel a pending 1 s reconnect (_connect() resets userDisconnect).
      client.config.autoReconnect = false;
      client.disconnect();
    }
  });
});
