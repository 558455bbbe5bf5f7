/**
 * POST /dingtalk/events and POST /dingtalk/card (HTTP mode) under attack: bad, missing, stale and replayed
 * signatures, oversized and malformed bodies, card values nobody rendered. Refusals change nothing.
 *
 * DingTalk's HTTP signatures cover the timestamp only, never the body
 * (https://open.dingtalk.com/document/development/receive-message, robot messages;
 * https://open.dingtalk.com/document/development/event-callback-card, card callbacks): each route takes its own
 * signature only, each pair is taken once (a repeat with the same body has no second effect, another body is
 * refused), and a robot message's createAt must be close to its signed timestamp.
 */
import { cardCallback, pushHttp, signCard, signHttp } from '../fakes/dingtalk';
import { GROUP, PLAIN, SECRETARY, cardsIn, dingWorld, nameOf, user, type DingWorld } from '../dingtalk/support';
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
/** The signature DingTalk puts on card callbacks, with the apiSecret their route was registered with. */
const cardSigned = (apiSecret: string, timestamp = Date.now()): Record<string, string> => ({
  'x-ddpaas-signature-timestamp': String(timestamp),
  'x-ddpaas-signature': signCard(timestamp, apiSecret),
});
const apiSecretOf = (w: DingWorld): string => w.fake.callbackApiSecret() ?? '';

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
    ['the card signature (the one /dingtalk/card takes)', () => cardSigned(apiSecretOf(w))],
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

  const badCardHeaders: readonly [string, () => Record<string, string>][] = [
    ['the robot signature (the one /dingtalk/events takes)', () => signed(w.fake.clientSecret)],
    ['a signature made with another secret', () => cardSigned('not-the-api-secret')],
    ['a signature made with the client secret', () => cardSigned(w.fake.clientSecret)],
    ['no signature header', () => ({ 'x-ddpaas-signature-timestamp': String(Date.now()) })],
    ['no timestamp header', () => ({ 'x-ddpaas-signature': signCard(Date.now(), apiSecretOf(w)) })],
    ['no headers at all', () => ({})],
    ['an empty signature', () => ({ 'x-ddpaas-signature-timestamp': String(Date.now()), 'x-ddpaas-signature': '' })],
    ['a signature for another timestamp', () => ({ 'x-ddpaas-signature-timestamp': String(Date.now()), 'x-ddpaas-signature': signCard(Date.now() - 1000, apiSecretOf(w)) })],
    ['a signed timestamp an hour and a minute old', () => cardSigned(apiSecretOf(w), Date.now() - HOUR - 60_000)],
    ['a signed timestamp an hour and a minute ahead', () => cardSigned(apiSecretOf(w), Date.now() + HOUR + 60_000)],
  ];

  it('should have registered the card callback route with an apiSecret (what the card signatures below use)', () => {
    expect(apiSecretOf(w)).not.toBe('');
  });

  it.each(badCardHeaders)('should answer 401 and record no answer when a card callback has %s', async (_name, headers) => {
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
      const res = await post(`${w.started.baseUrl}${path}`, body, path === '/dingtalk/card' ? cardSigned(apiSecretOf(w)) : signed(w.fake.clientSecret));
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
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, click(build(JSON.parse(attend) as Record<string, unknown>)), cardSigned(apiSecretOf(w)));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('"myStatusKind":"success"');
    await settle(w.started);
    expect(await state()).toEqual(before);
  });

  it('should refuse and store nothing when someone outside the group clicks a genuine value', async () => {
    const before = await state();
    const body = JSON.stringify(cardCallback({ outTrackId, userId: 'staff999', params: { value: attend } }));
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, body, cardSigned(apiSecretOf(w)));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('"myStatusKind":"success"');
    expect(await state()).toEqual(before);
  });

  it('should refuse and store nothing when a genuine value comes from an unknown card of another group', async () => {
    const before = await state();
    const body = JSON.stringify(cardCallback({ outTrackId: 'lsc_forged_card', userId: user(1), params: { value: attend }, openConversationId: PLAIN }));
    const res = await post(`${w.started.baseUrl}/dingtalk/card`, body, cardSigned(apiSecretOf(w)));
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
    const attendHeaders = cardSigned(apiSecretOf(w));
    const leaveBody = JSON.stringify(cardCallback({ outTrackId: world.outTrackId, userId: user(2), params: { value: world.leave, reason: '外出培训' } }));
    expect((await post(url, attendBody, attendHeaders)).status).toBe(200);
    expect((await post(url, leaveBody, cardSigned(apiSecretOf(w), Date.now() + 1))).status).toBe(200);
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

/**
 * The signatures cover no body (see the top of this file): what an attacker holding a signature can try, and what
 * stops it. Every attempt is refused and leaves the store, the adapter's roles and the fake exactly as they were.
 */
describe('DingTalk HTTP: a signature does not carry another body', () => {
  let w: DingWorld;
  let outTrackId: string;
  let attend: string;
  let leave: string;

  beforeAll(async () => {
    ({ w, outTrackId, attend, leave } = await worldWithCard());
  });
  afterAll(async () => {
    await w.stop();
  });

  const events = (): string => `${w.started.baseUrl}/dingtalk/events`;
  const cardUrl = (): string => `${w.started.baseUrl}/dingtalk/card`;
  /** Everything a request could change: the store, DingTalk's admin flags, the cached roster's roles, the fake. */
  const state = async (): Promise<unknown> => ({
    store: await storeState(w.started, CHAT),
    admins: [...(await w.started.bot.services.chats.admins({ platform: 'dingtalk', chatId: GROUP }))].sort(),
    roles: (await w.started.bot.services.chats.roster(CHAT)).members.map((m) => [m.id, m.platformRole ?? 'member']),
    sent: w.fake.sent.map((s) => ({ kind: s.kind, to: s.openConversationId, body: s.body })),
    cards: [...w.fake.cards.values()].map((c) => ({ id: c.outTrackId, data: c.cardData, updates: c.updates.length })),
  });
  const say = (sender: string, text: string, extra: { isAdmin?: boolean; createAt?: number } = {}): Record<string, unknown> =>
    w.fake.robotMessage({ conversationId: GROUP, senderStaffId: sender, senderNick: nameOf(sender), text, ...extra });
  const duties = async (): Promise<number> => (await w.started.bot.services.duties.listOpen(CHAT)).length;

  it('should refuse a message posted under the timestamp and sign of another, already delivered message', async () => {
    const genuine = say(user(3), '列表');
    const headers = signed(w.fake.clientSecret);
    expect((await post(events(), JSON.stringify(genuine), headers)).status).toBe(200);
    await w.waitFor(() => w.fake.sent.find((s) => JSON.stringify(s.body).includes('本群')), 'the reply to 列表');
    await settle(w.started, 200);
    const before = await state();
    const forged = say(SECRETARY, '会议 党小组会 后天上午9点', { isAdmin: true });
    const res = await post(events(), JSON.stringify(forged), headers);
    expect(res.status).toBe(401);
    await settle(w.started, 200);
    expect(await state()).toEqual(before);
  });

  it('should refuse a click posted under the signature of another, already answered click', async () => {
    const headers = cardSigned(apiSecretOf(w));
    const first = await post(cardUrl(), JSON.stringify(cardCallback({ outTrackId, userId: user(4), params: { value: attend } })), headers);
    expect(first.status).toBe(200);
    await settle(w.started, 200);
    const before = await state();
    const forged = JSON.stringify(cardCallback({ outTrackId, userId: user(4), params: { value: leave, reason: '伪造的请假' } }));
    const res = await post(cardUrl(), forged, headers);
    expect(res.status).toBe(401);
    expect(res.json).not.toHaveProperty('cardData');
    await settle(w.started, 200);
    expect(await state()).toEqual(before);
    const duty = await w.started.bot.services.duties.getByNumber(CHAT, 1);
    expect((await w.started.bot.services.duties.answers(duty?.id ?? '')).get(user(4))).toMatchObject({ status: 'attending' });
  });

  it.each([
    ['two hours before', -2 * HOUR],
    ['ten minutes before', -10 * 60_000],
    ['ten minutes after', 10 * 60_000],
  ])('should refuse a freshly signed message whose createAt is %s its signed timestamp', async (_label, offset) => {
    const before = await state();
    const timestamp = Date.now();
    const body = say(SECRETARY, '会议 党小组会 后天上午9点', { isAdmin: true, createAt: timestamp + offset });
    const res = await post(events(), JSON.stringify(body), signed(w.fake.clientSecret, timestamp));
    expect(res.status).toBe(401);
    await settle(w.started, 200);
    expect(await state()).toEqual(before);
  });

  it('should refuse a freshly signed message without createAt', async () => {
    const before = await state();
    const { createAt: _createAt, ...body } = say(SECRETARY, '会议 党小组会 后天上午9点', { isAdmin: true });
    const res = await post(events(), JSON.stringify(body), signed(w.fake.clientSecret));
    expect(res.status).toBe(401);
    await settle(w.started, 200);
    expect(await state()).toEqual(before);
  });

  it('should neither store nor honour an isAdmin in an HTTP body: a plain member claiming it starts nothing', async () => {
    type State = { store: Record<string, unknown>; sent: unknown[] };
    /** The state but the messages sent and the queues' jobs (the message is taken and its refusal sent: a job each). */
    const rest = (x: State): unknown => ({ ...x, store: { ...x.store, inbound: undefined, cards: undefined }, sent: undefined });
    const before = (await state()) as State;
    const forged = say(user(3), '会议 党小组会 后天上午9点', { isAdmin: true });
    expect((await post(events(), JSON.stringify(forged), signed(w.fake.clientSecret))).status).toBe(200);
    await w.waitFor(() => w.fake.sent.slice(before.sent.length).find((s) => JSON.stringify(s.body).includes('只有本群的党务管理员')), 'the refusal');
    await settle(w.started, 200);
    const after = (await state()) as State;
    // The refusal is the one thing sent; nothing else changed (no duty, no admin flag, no role in the roster).
    expect(after.sent).toHaveLength(before.sent.length + 1);
    expect(rest(after)).toEqual(rest(before));
    expect(await duties()).toBe(1);
    expect(await w.started.bot.services.chats.admins({ platform: 'dingtalk', chatId: GROUP })).not.toContain(user(3));
    expect(await w.started.bot.services.chats.member(CHAT, user(3))).not.toMatchObject({ platformRole: 'admin' });
  });
});
