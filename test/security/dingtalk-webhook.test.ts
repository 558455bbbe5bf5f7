/**
 * POST /dingtalk/events and POST /dingtalk/card (HTTP mode) under attack: bad, missing, stale and replayed
 * signatures, oversized and malformed bodies, card values nobody rendered. Refusals change nothing.
 *
 * DingTalk's HTTP signatures cover the timestamp only, never the body
 * (https://open.dingtalk.com/document/development/receive-message): the one-hour window and the deduplication by
 * msgId and by callback are what stop a replay of the same bytes.
 */
import { cardCallback, pushHttp, signHttp } from '../fakes/dingtalk';
import { GROUP, PLAIN, SECRETARY, cardsIn, dingWorld, user, type DingWorld } from '../dingtalk/support';
import { settle, storeState } from './support';

const CHAT = { platform: 'dingtalk' as const, chatId: GROUP };
const HOUR = 3_600_000;

interface Posted {
  readonly status: number;
  readonly json: unknown;
}

/** Post `body` (a string, sent as is) with exactly these headers. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<Posted> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

const signed = (secret: string, timestamp = Date.now()): Record<string, string> => ({ timestamp: String(timestamp), sign: signHttp(timestamp, secret) });

async function worldWithCard(): Promise<{ w: DingWorld; outTrackId: string; attend: string; leave: string }> {
  const w = await dingWorld({ mode: 'http' });
  await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
  const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
  await settle(w.started);
  const attend = card.cardData.btn1Value ?? '';
  const leave = card.cardData.btn2Value ?? '';
  return { w, outTrackId: card.outTrackId, attend, leave };
}

describe('DingTalk HTTP: refused requests change nothing', () => {
  let w: DingWorld;
  let outTrackId: string;
  let attend: string;

  beforeAll(async () => {
    ({ w, outTrackId, attend } = await worldWithCard());
  });
  afterAll(async () => {
    await w.stop();
  });

  const state = async (): Promise<unknown> => ({
    store: await storeState(w.started, CHAT),
    sent: w.fake.sent.map((s) => ({ kind: s.kind, to: s.openConversationId, body: s.body })),
    cards: [...w.fake.cards.values()].map((c) => ({ id: c.outTrackId, data: c.cardData, updates: c.updates.length })),
  });
  const message = (): string =>
    JSON.stringify(w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: '会议 党小组会 后天上午9点', isAdmin: true }));
  const click = (value: string = attend): string => JSON.stringify(cardCallback({ outTrackId, userId: user(1), params: { value } }));

  const badHeaders: readonly [string, () => Record<string, string>][] = [
    ['a sign made with another secret', () => signed('not-the-client-secret')],
    ['no sign header', () => ({ timestamp: String(Date.now()) })],
    ['no timestamp header', () => ({ sign: signHttp(Date.now(), w.fake.clientSecret) })],
    ['no headers at all', () => ({})],
    ['an empty sign', () => ({ timestamp: String(Date.now()), sign: '' })],
    ['a sign for another timestamp', () => ({ timestamp: String(Date.now()), sign: signHttp(Date.now() - 1000, w.fake.clientSecret) })],
    ['a signed timestamp an hour and a minute old', () => signed(w.fake.clientSecret, Date.now() - HOUR - 60_000)],
    ['a signed timestamp an hour and a minute ahead', () => signed(w.fake.clientSecret, Date.now() + HOUR + 60_000)],
    ['a signed timestamp in seconds', () => signed(w.fake.clientSecret, Math.floor(Date.now() / 1000))],
    ['a card signature with a guessed api secret', () => ({ 'x-ddpaas-signature-timestamp': String(Date.now()), 'x-ddpaas-signature': signHttp(Date.now(), 'guessed') })],
  ];

  it.each(badHeaders)('should answer 401 and store or send nothing when a robot message has %s', async (_name, headers) => {
    const before = await state();
    const res = await post(`${w.started.baseUrl}/dingtalk/events`, message(), headers());
    expect(res.status).toBe(401);
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  it.each(badHeaders)('should answer 401 and record no answer when a card callback has %s', async (_name, headers) => {
    const before = await state();
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, click(), headers());
    expect(res.status).toBe(401);
    expect(res.json).not.toHaveProperty('cardData');
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  it('should answer 413 and store or send nothing when a signed body is over 256 kB', async () => {
    const before = await state();
    const body = JSON.stringify(w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: `会议 ${'党'.repeat(100_000)} 明天下午3点`, isAdmin: true }));
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    const res = await post(`${w.started.baseUrl}/dingtalk/events`, body, signed(w.fake.clientSecret));
    expect(res.status).toBe(413);
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['truncated JSON', '{"msgtype": "text", "text": {"content": " 会议', [400]],
    ['an empty body', '', [400]],
    ['a JSON array', '[]', [200, 400]],
    ['JSON null', 'null', [200, 400]],
    ['an object with no message in it', '{"hello":"world"}', [200, 400]],
  ])('should store or send nothing when the signed body is %s', async (_name, body, statuses) => {
    const before = await state();
    for (const path of ['/dingtalk/events', '/dingtalk/card']) {
      const res = await post(`${w.started.baseUrl}${path}`, body, signed(w.fake.clientSecret));
      expect(statuses).toContain(res.status);
    }
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  const tampered: readonly [string, (value: Record<string, unknown>) => string][] = [
    ['an extra member field', (v) => JSON.stringify({ ...v, member: user(2) })],
    ['an extra userId field', (v) => JSON.stringify({ ...v, userId: user(2) })],
    ['an unknown act', (v) => JSON.stringify({ ...v, act: 'cancel' })],
    ['an unknown duty', (v) => JSON.stringify({ ...v, duty: 'zzzzzzzzzzzz' })],
    ['version 2', (v) => JSON.stringify({ ...v, v: 2 })],
    ['text that is not JSON', () => 'attend'],
    ['a JSON array', (v) => JSON.stringify([v])],
  ];

  it.each(tampered)('should answer with an error and store nothing when a signed card value has %s', async (_name, build) => {
    const before = await state();
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, click(build(JSON.parse(attend) as Record<string, unknown>)), signed(w.fake.clientSecret));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('"myStatusKind":"success"');
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  it('should refuse and store nothing when someone outside the group clicks a genuine value', async () => {
    const before = await state();
    const body = JSON.stringify(cardCallback({ outTrackId, userId: 'staff999', params: { value: attend } }));
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, body, signed(w.fake.clientSecret));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('"myStatusKind":"success"');
    expect(await state()).toEqual(before);
  });

  it('should refuse and store nothing when a genuine value comes from an unknown card of another group', async () => {
    const before = await state();
    const body = JSON.stringify(cardCallback({ outTrackId: 'lsc_forged_card', userId: user(1), params: { value: attend }, openConversationId: PLAIN }));
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, body, signed(w.fake.clientSecret));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('"myStatusKind":"success"');
    expect(await state()).toEqual(before);
  });
});

describe('DingTalk HTTP: replayed deliveries have at most one effect', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should create one duty and one card when the same signed message is posted twice', async () => {
    w = await dingWorld({ mode: 'http' });
    const body = JSON.stringify(w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: '会议 支部委员会 明天下午3点', isAdmin: true }));
    const headers = signed(w.fake.clientSecret);
    const first = await post(`${w.started.baseUrl}/dingtalk/events`, body, headers);
    const second = await post(`${w.started.baseUrl}/dingtalk/events`, body, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
    await settle(w.started, 200);
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toHaveLength(1);
    expect(cardsIn(w.fake)).toHaveLength(1);
  });

  it('should not let a replayed click undo a later answer when the first callback is posted again after a second one', async () => {
    const world = await worldWithCard();
    w = world.w;
    const url = `${w.started.baseUrl}/dingtalk/card`;
    const attendBody = JSON.stringify(cardCallback({ outTrackId: world.outTrackId, userId: user(2), params: { value: world.attend } }));
    const attendHeaders = signed(w.fake.clientSecret);
    const leaveBody = JSON.stringify(cardCallback({ outTrackId: world.outTrackId, userId: user(2), params: { value: world.leave, reason: '外出培训' } }));
    expect((await post(url, attendBody, attendHeaders)).status).toBe(200);
    expect((await post(url, leaveBody, signed(w.fake.clientSecret, Date.now() + 1))).status).toBe(200);
    const replay = await post(url, attendBody, attendHeaders);
    expect([200, 401]).toContain(replay.status);
    const duty = await w.started.bot.services.duties.getByNumber(CHAT, 1);
    expect((await w.started.bot.services.duties.answers(duty?.id ?? '')).get(user(2))).toMatchObject({ status: 'leave', reason: '外出培训' });
    expect((await w.started.bot.services.duties.history(duty?.id ?? '')).filter((e) => e.type === 'answer')).toHaveLength(2);
  });

  it('should answer the same way every time when a signed message is replayed', async () => {
    w = await dingWorld({ mode: 'http' });
    const payload = w.fake.robotMessage({ conversationId: GROUP, senderStaffId: user(3), senderNick: '刘洋', text: '列表' });
    const timestamp = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await pushHttp(`${w.started.baseUrl}/dingtalk/events`, payload, { appSecret: w.fake.clientSecret, timestamp })).status);
    expect(statuses).toEqual([200, 200, 200]);
    await w.waitFor(() => w.fake.sent.find((s) => JSON.stringify(s.body).includes('本群')), 'the reply to 列表');
    await settle(w.started, 200);
    expect(w.fake.sent.filter((s) => JSON.stringify(s.body).includes('本群'))).toHaveLength(1);
  });
});
