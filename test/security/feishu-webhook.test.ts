/**
 * POST /feishu/events under attack: forged, missing and replayed signatures, wrong verification tokens, bodies
 * that are too big, malformed or undecryptable. Every refusal must leave the store, the queues and the fake
 * Feishu exactly as they were.
 */
import { cardActionEvent, encryptForFeishu, urlVerification } from '../fakes/feishu';
import { CHAT, ENCRYPT_KEY, SECRETARY, VERIFICATION_TOKEN, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from '../feishu/support';
import { eventually } from '../helpers/harness';
import { FEISHU_CHAT, feishuState, given, groupMessage, sendRaw, settle, signBody, signedEvent, withHeaders, type RawRequest } from './support';
import { messageJobId } from '../../src/queue/inbound-queue';

const COMMAND = '会议 支部委员会 明天下午3点';

/** Flip the first hex digit of the signature. */
const forged = (req: RawRequest): RawRequest => {
  const sig = req.headers['X-Lark-Signature'] ?? '';
  return withHeaders(req, { 'X-Lark-Signature': `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}` });
};

/** The body of one signed request under the signature headers of another. */
const swapped = (body: RawRequest, headers: RawRequest): RawRequest => ({ body: body.body, headers: headers.headers });

interface Built {
  readonly message: (w: FeishuWorld) => RawRequest;
  readonly click: (w: FeishuWorld) => RawRequest;
}

/** A world with duty #1 posted, and the values of its card's buttons. */
async function worldWithDuty(): Promise<{ w: FeishuWorld; cardId: string; attend: unknown; leave: unknown; dutyId: string }> {
  const w = await feishuWorld();
  await w.say(SECRETARY, COMMAND);
  const card = await w.waitFor(isCard, 'the duty card');
  const [attend, leave] = cardValues(card.content);
  const duty = await w.started.bot.services.duties.getByNumber(FEISHU_CHAT, 1);
  await settle(w.started);
  return { w, cardId: card.messageId, attend, leave, dutyId: duty?.id ?? '' };
}

describe('Feishu webhook: refused requests change nothing', () => {
  let w: FeishuWorld;
  let cardId: string;
  let attend: unknown;

  beforeAll(async () => {
    ({ w, cardId, attend } = await worldWithDuty());
  });
  afterAll(async () => {
    await w.stop();
  });

  const message = (world: FeishuWorld, token = VERIFICATION_TOKEN): unknown => groupMessage(world, SECRETARY, '会议 党小组会 后天上午9点', { token }).event;
  const click = (world: FeishuWorld, token = VERIFICATION_TOKEN): unknown =>
    cardActionEvent({ chatId: CHAT, messageId: cardId, operatorOpenId: member(1), value: attend, token });

  /** Each refused request, built as a group message (a command that would create a duty) and as a card click. */
  const cases: readonly [number, string, Built][] = [
    [401, 'a forged signature', { message: (x) => forged(signedEvent(message(x))), click: (x) => forged(signedEvent(click(x))) }],
    [
      401,
      'no signature headers at all',
      {
        message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Signature': undefined, 'X-Lark-Request-Timestamp': undefined, 'X-Lark-Request-Nonce': undefined }),
        click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Signature': undefined, 'X-Lark-Request-Timestamp': undefined, 'X-Lark-Request-Nonce': undefined }),
      },
    ],
    [
      401,
      'the signature header missing (timestamp and nonce sent)',
      { message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Signature': undefined }), click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Signature': undefined }) },
    ],
    [
      401,
      'the timestamp header missing',
      {
        message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Request-Timestamp': undefined }),
        click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Request-Timestamp': undefined }),
      },
    ],
    [
      401,
      'an empty signature',
      { message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Signature': '' }), click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Signature': '' }) },
    ],
    [401, 'a signature made with another key', { message: (x) => signedEvent(message(x), { signKey: 'not-the-encrypt-key' }), click: (x) => signedEvent(click(x), { signKey: 'not-the-encrypt-key' }) }],
    [
      401,
      'a timestamp changed after signing',
      {
        message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Request-Timestamp': String(Math.floor(Date.now() / 1000) + 1) }),
        click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Request-Timestamp': String(Math.floor(Date.now() / 1000) + 1) }),
      },
    ],
    [
      401,
      'a nonce changed after signing',
      { message: (x) => withHeaders(signedEvent(message(x)), { 'X-Lark-Request-Nonce': 'another-nonce' }), click: (x) => withHeaders(signedEvent(click(x)), { 'X-Lark-Request-Nonce': 'another-nonce' }) },
    ],
    [
      401,
      'a body swapped for another event under the same signature headers',
      {
        message: (x) => swapped(signedEvent(message(x)), signedEvent(message(x))),
        click: (x) => swapped(signedEvent(click(x)), signedEvent(click(x, VERIFICATION_TOKEN))),
      },
    ],
    [
      401,
      'the same JSON re-spaced after signing',
      {
        message: (x) => {
          const req = signedEvent(message(x));
          return { ...req, body: req.body.replace('{"encrypt":', '{"encrypt": ') };
        },
        click: (x) => {
          const req = signedEvent(click(x));
          return { ...req, body: req.body.replace('{"encrypt":', '{"encrypt": ') };
        },
      },
    ],
    [401, 'a wrong verification token', { message: (x) => signedEvent(message(x, 'vt_wrong_token')), click: (x) => signedEvent(click(x, 'vt_wrong_token')) }],
    [401, 'an empty verification token', { message: (x) => signedEvent(message(x, '')), click: (x) => signedEvent(click(x, '')) }],
    [
      401,
      'the verification token as a prefix of the real one',
      { message: (x) => signedEvent(message(x, VERIFICATION_TOKEN.slice(0, -1))), click: (x) => signedEvent(click(x, VERIFICATION_TOKEN.slice(0, -1))) },
    ],
    [
      401,
      'no verification token',
      {
        message: (x) => {
          const event = message(x) as { header: Record<string, unknown> };
          delete event.header.token;
          return signedEvent(event);
        },
        click: (x) => {
          const event = click(x) as { header: Record<string, unknown> };
          delete event.header.token;
          return signedEvent(event);
        },
      },
    ],
    [
      401,
      'a body encrypted with another key (signed with the right one)',
      {
        message: (x) => signBody(JSON.stringify({ encrypt: encryptForFeishu(message(x), 'another-encrypt-key') })),
        click: (x) => signBody(JSON.stringify({ encrypt: encryptForFeishu(click(x), 'another-encrypt-key') })),
      },
    ],
    [
      401,
      'an encrypt field that is not ciphertext',
      { message: () => signBody(JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dA==' })), click: () => signBody(JSON.stringify({ encrypt: '%%%' })) },
    ],
  ];

  it.each(cases)('should answer %i and store or send nothing when a group message has %s', async (status, _name, built) => {
    await settle(w.started);
    const before = await feishuState(w);
    const res = await sendRaw(w.url, built.message(w));
    expect(res.status).toBe(status);
    expect(res.json).not.toHaveProperty('challenge');
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it.each(cases)('should answer %i and record no answer when a card click has %s', async (status, _name, built) => {
    await settle(w.started);
    const before = await feishuState(w);
    const res = await sendRaw(w.url, built.click(w));
    expect(res.status).toBe(status);
    expect(res.json).not.toHaveProperty('card');
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should answer 413 and store or send nothing when a signed body is over 256 kB', async () => {
    const before = await feishuState(w);
    const req = signedEvent(groupMessage(w, SECRETARY, `会议 ${'党'.repeat(100_000)} 明天下午3点`).event);
    expect(Buffer.byteLength(req.body)).toBeGreaterThan(256 * 1024);
    const res = await sendRaw(w.url, req);
    expect(res.status).toBe(413);
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should take the body when it is just under the limit, so the limit is what refused the big one', async () => {
    const req = signedEvent(groupMessage(w, member(2), `列表 ${'党'.repeat(40_000)}`).event);
    expect(Buffer.byteLength(req.body)).toBeLessThan(256 * 1024);
    const res = await sendRaw(w.url, req);
    expect(res.status).toBe(200);
    await settle(w.started);
  });

  it.each([
    ['truncated JSON', '{"encrypt": "abc'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
    ['bytes that are not UTF-8 JSON', '\u0000\u0001\u0002'],
  ])('should answer 400 and store or send nothing when the signed body is %s', async (_name, body) => {
    await settle(w.started);
    const before = await feishuState(w);
    const res = await sendRaw(w.url, signBody(body));
    expect(res.status).toBe(400);
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should answer 401 and not echo the challenge when the URL-verification handshake has a wrong token', async () => {
    const res = await sendRaw(w.url, {
      body: JSON.stringify({ encrypt: encryptForFeishu(urlVerification('ch-evil', 'vt_wrong_token'), ENCRYPT_KEY) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('ch-evil');
  });

  it('should answer 401 and store nothing when an unsigned event is dressed as a URL-verification handshake', async () => {
    await settle(w.started);
    const before = await feishuState(w);
    const event = { ...(groupMessage(w, SECRETARY, '会议 党小组会 后天上午9点').event as Record<string, unknown>), type: 'url_verification' };
    const res = await sendRaw(w.url, { body: JSON.stringify({ encrypt: encryptForFeishu(event, ENCRYPT_KEY) }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });
});

describe('Feishu webhook: replayed deliveries have at most one effect', () => {
  let w: FeishuWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should create one duty, one card and one reply when the same signed message is sent twice', async () => {
    w = await feishuWorld();
    const { event, messageId } = groupMessage(w, SECRETARY, COMMAND);
    const req = signedEvent(event);
    const first = await sendRaw(w.url, req);
    const second = await sendRaw(w.url, req);
    expect([first.status, second.status]).toEqual([200, 200]);
    await w.waitFor(isCard, 'the duty card');
    await settle(w.started);
    expect(await w.started.bot.services.duties.listOpen(FEISHU_CHAT)).toHaveLength(1);
    expect(w.fake.messages.filter(isCard)).toHaveLength(1);
    expect(w.fake.messages.filter((m) => textOf(m).includes('已发起'))).toHaveLength(1);
    const jobs = await w.started.bot.queues.inbound.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    expect(jobs.filter((j) => j.name === 'message').map((j) => j.id)).toEqual([messageJobId(FEISHU_CHAT, messageId)]);
  });

  it('should create one duty when the same signed message arrives three times at once', async () => {
    w = await feishuWorld();
    const req = signedEvent(groupMessage(w, SECRETARY, COMMAND).event);
    const replies = await Promise.all([sendRaw(w.url, req), sendRaw(w.url, req), sendRaw(w.url, req)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await w.waitFor(isCard, 'the duty card');
    await settle(w.started);
    expect(await w.started.bot.services.duties.listOpen(FEISHU_CHAT)).toHaveLength(1);
    expect(w.fake.messages.filter(isCard)).toHaveLength(1);
  });

  it('should record one answer and one history entry when the same signed click is sent twice', async () => {
    const world = await worldWithDuty();
    w = world.w;
    const req = signedEvent(cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: member(1), value: world.attend, token: VERIFICATION_TOKEN }));
    const first = await sendRaw(w.url, req);
    const second = await sendRaw(w.url, req);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((first.json as { toast: { type: string } }).toast.type).toBe('success');
    expect((second.json as { toast: { type: string } }).toast.type).not.toBe('success');
    const answers = await w.started.bot.services.duties.answers(world.dutyId);
    expect(given(answers)).toEqual([member(1)]);
    expect(answers.get(SECRETARY)).toMatchObject({ status: 'attending', implied: true });
    const entries = (await w.started.bot.services.duties.history(world.dutyId)).filter((e) => e.type === 'answer');
    expect(entries).toHaveLength(1);
  });

  it('should not let a replayed click undo a later answer when the first click is sent again after a second one', async () => {
    const world = await worldWithDuty();
    w = world.w;
    const attendClick = signedEvent(cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: member(2), value: world.attend, token: VERIFICATION_TOKEN }));
    const leaveClick = signedEvent(
      cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: member(2), value: world.leave, formValue: { reason: '外出培训' }, token: VERIFICATION_TOKEN }),
    );
    expect((await sendRaw(w.url, attendClick)).status).toBe(200);
    expect((await sendRaw(w.url, leaveClick)).status).toBe(200);
    // The exact bytes of the first click again (a retry, or someone who captured it).
    const replay = await sendRaw(w.url, attendClick);
    expect([200, 401]).toContain(replay.status);
    const answers = await w.started.bot.services.duties.answers(world.dutyId);
    expect(answers.get(member(2))).toMatchObject({ status: 'leave', reason: '外出培训' });
    const entries = (await w.started.bot.services.duties.history(world.dutyId)).filter((e) => e.type === 'answer');
    expect(entries).toHaveLength(2);
  });

  it('should answer with the same status every time when a signed message is replayed', async () => {
    w = await feishuWorld();
    const req = signedEvent(groupMessage(w, member(3), '列表').event);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendRaw(w.url, req)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    await eventually(async () => w.fake.messages.some((m) => textOf(m).includes('本群')), 5000, 'the reply to 列表');
    await settle(w.started);
    expect(w.fake.messages).toHaveLength(1);
  });
});
