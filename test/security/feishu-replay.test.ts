/**
 * Captured Feishu requests replayed late: a click or a message must never undo a later answer or re-grant a role.
 * Signed requests older than the window (src/platforms/feishu/request-time.ts) are refused before decryption; an
 * action older than the member's current answer changes nothing, even under a new id or after its id was forgotten;
 * unsigned requests are refused before decryption (except a handshake-sized body), all with one uniform answer.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { MAX_REQUEST_AGE_MS } from '../../src/platforms/feishu/request-time';
import { DEDUPE_TTL_SECONDS } from '../../src/store/dedupe';
import { cardActionEvent, encryptForFeishu, messageEvent } from '../fakes/feishu';
import { CHAT, ENCRYPT_KEY, SECRETARY, VERIFICATION_TOKEN, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from '../feishu/support';
import { FEISHU_CHAT, feishuState, groupMessage, sendRaw, settle, signBody, signedEvent, withHeaders, type RawRequest } from './support';
import { messageJobId } from '../../src/queue/inbound-queue';

const HOUR = 3600 * 1000;
const UNAUTHORIZED = JSON.stringify({ error: 'unauthorized' });
const secondsAgo = (ms: number): string => String(Math.floor((Date.now() - ms) / 1000));

type Click = ReturnType<typeof cardActionEvent>;

async function worldWithDuty(): Promise<{ w: FeishuWorld; cardId: string; attend: unknown; leave: unknown; dutyId: string }> {
  const w = await feishuWorld();
  await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
  const card = await w.waitFor(isCard, 'the duty card');
  const [attend, leave] = cardValues(card.content);
  const duty = await w.started.bot.services.duties.getByNumber(FEISHU_CHAT, 1);
  await settle(w.started);
  return { w, cardId: card.messageId, attend, leave, dutyId: duty?.id ?? '' };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Feishu replay: an action older than the current answer changes nothing', () => {
  let world: Awaited<ReturnType<typeof worldWithDuty>>;
  let w: FeishuWorld;
  beforeEach(async () => {
    world = await worldWithDuty();
    w = world.w;
  });
  afterEach(async () => {
    await w.stop();
  });

  /** 参加 then 请假 by the same member, a few milliseconds apart; returns the first click's event. */
  async function attendThenLeave(who: string): Promise<Click> {
    const attend = cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: who, value: world.attend, token: VERIFICATION_TOKEN });
    expect((await sendRaw(w.url, signedEvent(attend))).status).toBe(200);
    await pause(5);
    const leave = cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: who, value: world.leave, formValue: { reason: '外出培训' }, token: VERIFICATION_TOKEN });
    expect((await sendRaw(w.url, signedEvent(leave))).status).toBe(200);
    expect((await w.started.bot.services.duties.answers(world.dutyId)).get(who)).toMatchObject({ status: 'leave' });
    return attend;
  }

  async function expectStillOnLeave(who: string): Promise<void> {
    expect((await w.started.bot.services.duties.answers(world.dutyId)).get(who)).toMatchObject({ status: 'leave', reason: '外出培训' });
    const entries = (await w.started.bot.services.duties.history(world.dutyId)).filter((e) => e.type === 'answer' && e.by === who);
    expect(entries).toHaveLength(2);
  }

  it('should not undo a later answer when an older click comes again under a new event id, freshly signed', async () => {
    const old = await attendThenLeave(member(1));
    const again = { ...old, header: { ...old.header, event_id: `${old.header.event_id}0000` } };
    const res = await sendRaw(w.url, signedEvent(again));
    expect(res.status).toBe(200);
    expect((res.json as { toast: { type: string; content: string } }).toast).toEqual({ type: 'info', content: '这次操作早于你最近的回复，未生效。' });
    await expectStillOnLeave(member(1));
  });

  it('should not undo a later answer when an older click is delivered again after its event id was forgotten', async () => {
    const old = await attendThenLeave(member(2));
    // The claim on the event id lives 24 h; past that (or after an eviction) the click's own time still counts.
    await w.started.bot.services.dedupe.forget('click:feishu', old.header.event_id);
    expect((await sendRaw(w.url, signedEvent(old))).status).toBe(200);
    await expectStillOnLeave(member(2));
  });

  it('should not undo a later click when an older text answer comes again under a new message id', async () => {
    const { event } = groupMessage(w, member(3), '参加 #1');
    const first = event as ReturnType<typeof messageEvent>;
    expect((await sendRaw(w.url, signedEvent(first))).status).toBe(200);
    await w.waitFor((m) => textOf(m).includes('已确认参加 #1'), 'the text answer');
    await pause(5);
    const leave = cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: member(3), value: world.leave, formValue: { reason: '外出培训' }, token: VERIFICATION_TOKEN });
    expect((await sendRaw(w.url, signedEvent(leave))).status).toBe(200);
    const replayId = `${first.event.message.message_id}0`;
    w.fake.recordUserMessage(replayId, CHAT);
    const replay = { ...first, header: { ...first.header, event_id: `${first.header.event_id}0` }, event: { ...first.event, message: { ...first.event.message, message_id: replayId } } };
    expect((await sendRaw(w.url, signedEvent(replay))).status).toBe(200);
    await w.waitFor((m) => textOf(m).includes('早于你最近的回复'), 'the refusal of the old answer');
    await settle(w.started);
    await expectStillOnLeave(member(3));
  });

  it('should still let a member change the answer with a newer click', async () => {
    await attendThenLeave(member(4));
    await pause(5);
    const attend = cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: member(4), value: world.attend, token: VERIFICATION_TOKEN });
    const res = await sendRaw(w.url, signedEvent(attend));
    expect((res.json as { toast: { type: string } }).toast.type).toBe('success');
    expect((await w.started.bot.services.duties.answers(world.dutyId)).get(member(4))).toMatchObject({ status: 'attending' });
  });
});

describe('Feishu replay: the signed request time', () => {
  let world: Awaited<ReturnType<typeof worldWithDuty>>;
  let w: FeishuWorld;
  beforeAll(async () => {
    world = await worldWithDuty();
    w = world.w;
  });
  afterAll(async () => {
    await w.stop();
  });

  const click = (who: string): unknown => cardActionEvent({ chatId: CHAT, messageId: world.cardId, operatorOpenId: who, value: world.attend, token: VERIFICATION_TOKEN });

  it.each([
    ['8 hours and a minute old', secondsAgo(8 * HOUR + 60_000)],
    ['a day old', secondsAgo(24 * HOUR)],
    ['ten minutes in the future', secondsAgo(-10 * 60_000)],
    ['not a number', 'abc'],
    ['a fraction', `${Math.floor(Date.now() / 1000)}.5`],
    ['negative', '-1'],
    ['empty', ''],
  ])('should refuse with the uniform 401 and change nothing when the signed timestamp is %s', async (_what, timestamp) => {
    await settle(w.started);
    const before = await feishuState(w);
    const onClick = await sendRaw(w.url, signedEvent(click(member(1)), { timestamp }));
    const onMessage = await sendRaw(w.url, signedEvent(groupMessage(w, SECRETARY, '会议 党小组会 后天上午9点').event, { timestamp }));
    expect([onClick.status, onClick.text, onMessage.status, onMessage.text]).toEqual([401, UNAUTHORIZED, 401, UNAUTHORIZED]);
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should remember event and message ids longer than a signed request is accepted', () => {
    expect(DEDUPE_TTL_SECONDS * 1000).toBeGreaterThan(MAX_REQUEST_AGE_MS);
  });

  it("should take a click signed 7 h 10 min ago (Feishu's last redelivery) when it was never taken", async () => {
    const res = await sendRaw(w.url, signedEvent(click(member(5)), { timestamp: secondsAgo(7 * HOUR + 10 * 60_000) }));
    expect(res.status).toBe(200);
    expect((await w.started.bot.services.duties.answers(world.dutyId)).get(member(5))).toMatchObject({ status: 'attending' });
  });
});

describe('Feishu replay: a role is never granted again by a replayed message', () => {
  let w: FeishuWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should refuse a 设置管理员 message replayed a day later, after its message id was forgotten', async () => {
    w = await feishuWorld();
    const messageId = 'om_grant_role_replay_000000000001';
    w.fake.recordUserMessage(messageId, CHAT);
    const grant = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: '设置管理员', mentionBot: true, botName: '落实', messageId, extraMentions: [{ openId: member(2), name: '张丽' }], token: VERIFICATION_TOKEN });
    const captured = signedEvent(grant);
    expect((await sendRaw(w.url, captured)).status).toBe(200);
    await w.waitFor((m) => textOf(m).includes('已设置党务管理员：张丽'), 'the grant');
    const revoke = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: '移除管理员', mentionBot: true, botName: '落实', extraMentions: [{ openId: member(2), name: '张丽' }], token: VERIFICATION_TOKEN });
    w.fake.recordUserMessage(revoke.event.message.message_id, CHAT);
    expect((await sendRaw(w.url, signedEvent(revoke))).status).toBe(200);
    await settle(w.started);
    expect([...(await w.started.bot.services.chats.secretaries(FEISHU_CHAT))]).toEqual([]);

    // A day later Redis has forgotten the message id and BullMQ the job: only the signed time is left to refuse it.
    w.clock.advance(25 * HOUR);
    await w.started.bot.services.dedupe.forget('msg:feishu', messageId);
    await (await w.started.bot.queues.inbound.getJob(messageJobId({ platform: 'feishu' }, messageId)))?.remove();
    const before = await feishuState(w);
    const res = await sendRaw(w.url, captured);
    expect([res.status, res.text]).toEqual([401, UNAUTHORIZED]);
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
    expect([...(await w.started.bot.services.chats.secretaries(FEISHU_CHAT))]).toEqual([]);
  });
});

describe('Feishu: unsigned and badly signed requests', () => {
  let world: Awaited<ReturnType<typeof worldWithDuty>>;
  let w: FeishuWorld;
  let decrypt: jest.SpyInstance;
  beforeAll(async () => {
    world = await worldWithDuty();
    w = world.w;
  });
  afterAll(async () => {
    await w.stop();
  });
  beforeEach(() => {
    decrypt = jest.spyOn(lark.AESCipher.prototype, 'decrypt');
  });
  afterEach(() => {
    decrypt.mockRestore();
  });

  const event = (): unknown => groupMessage(w, SECRETARY, '会议 党小组会 后天上午9点').event;
  const unsigned = (body: string): RawRequest => ({ body, headers: { 'content-type': 'application/json' } });
  const bigEvent = (): unknown => groupMessage(w, SECRETARY, `会议 ${'党'.repeat(400)} 后天上午9点`).event;

  const beforeDecryption: readonly [string, () => RawRequest][] = [
    ['no signature headers, an encrypted event', () => unsigned(JSON.stringify({ encrypt: encryptForFeishu(bigEvent(), ENCRYPT_KEY) }))],
    ['no signature headers, a plaintext event', () => unsigned(JSON.stringify(bigEvent()))],
    ['only the timestamp and nonce headers', () => withHeaders(signedEvent(event()), { 'X-Lark-Signature': undefined })],
    ['only the signature header', () => withHeaders(signedEvent(event()), { 'X-Lark-Request-Timestamp': undefined, 'X-Lark-Request-Nonce': undefined })],
    ['a forged signature', () => withHeaders(signedEvent(event()), { 'X-Lark-Signature': '0'.repeat(64) })],
    ['a timestamp a day old', () => signedEvent(event(), { timestamp: secondsAgo(24 * HOUR) })],
  ];

  it('should decrypt a well-signed request (so the spy sees decryption when it happens)', async () => {
    const res = await sendRaw(w.url, signedEvent(groupMessage(w, member(3), '列表').event));
    expect(res.status).toBe(200);
    expect(decrypt).toHaveBeenCalledTimes(1);
    await settle(w.started);
  });

  it.each(beforeDecryption)('should refuse %s with the uniform 401 before any decryption', async (_what, build) => {
    await settle(w.started);
    const before = await feishuState(w);
    const res = await sendRaw(w.url, build());
    expect([res.status, res.text]).toEqual([401, UNAUTHORIZED]);
    expect(decrypt).not.toHaveBeenCalled();
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it.each([
    ['a small unsigned encrypted event (not a handshake)', () => unsigned(JSON.stringify({ encrypt: encryptForFeishu({ schema: '2.0', header: { token: VERIFICATION_TOKEN } }, ENCRYPT_KEY) }))],
    ['a small unsigned body that is not ciphertext', () => unsigned(JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dA==' }))],
    ['a small unsigned body that is not JSON', () => unsigned('{"encrypt":')],
    ['a signed body encrypted with another key', () => signBody(JSON.stringify({ encrypt: encryptForFeishu(event(), 'another-key') }))],
    ['a signed event with a wrong verification token', () => signedEvent(groupMessage(w, SECRETARY, '列表', { token: 'vt_wrong' }).event)],
  ])('should answer %s exactly as a missing signature', async (_what, build) => {
    const res = await sendRaw(w.url, build());
    expect([res.status, res.text]).toEqual([401, UNAUTHORIZED]);
  });
});
