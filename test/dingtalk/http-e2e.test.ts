import { cardCallback, pushHttp, pushHttpCard } from '../fakes/dingtalk';
import { GROUP, SECRETARY, USERS, cardsIn, dingWorld, pause, user, type DingWorld } from './support';

const chat = { platform: 'dingtalk' as const, chatId: GROUP };

// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk in HTTP mode', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'http' });
  });
  afterEach(async () => {
    await w.stop();
  });

  const events = (): string => `${w.started.baseUrl}/dingtalk/events`;
  const nothingHappened = async (): Promise<void> => {
    await pause(400);
    const jobs = await w.started.bot.queues.inbound.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(jobs.filter((j) => j.name === 'message')).toHaveLength(0);
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(0);
    expect(w.fake.sent).toHaveLength(0);
  };

  it('should take a signed message, answer {"msgtype":"empty"} at once and deliver the card', async () => {
    const said = await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    expect(said.status).toBe(200);
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    expect(card.callbackType).toBe('HTTP');
    // HTTP card callbacks need a registered route; it is made once.
    expect(w.fake.calls.filter((c) => c.path === '/v1.0/card/callbacks/register' && c.status === 200)).toHaveLength(1);
  });

  it.each([
    ['a bad sign', { sign: 'bad' as const }],
    ['a missing sign', { sign: 'missing' as const }],
    ['a timestamp older than an hour', { timestamp: Date.now() - 3_600_000 - 60_000 }],
    ['a timestamp an hour ahead', { timestamp: Date.now() + 3_600_000 + 60_000 }],
  ])('should answer 401 to %s and change nothing', async (_label, opts) => {
    const payload = w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: '会议 支部委员会 明天下午3点', isAdmin: true });
    const res = await pushHttp(events(), payload, { appSecret: w.fake.clientSecret, ...opts });
    expect(res.status).toBe(401);
    await nothingHappened();
  });

  it('should answer 401 to a card callback signed with the wrong secret', async () => {
    const payload = cardCallback({ outTrackId: 'lsc_x', userId: user(1), params: { value: '{}' } });
    const res = await pushHttpCard(`${w.started.baseUrl}/dingtalk/card`, payload, { apiSecret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('should answer a signed card callback with the updated card, and handle it once however often it is posted', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    const payload = cardCallback({ outTrackId: card.outTrackId, userId: user(1), params: { value: card.cardData.btn1Value } });
    const timestamp = Date.now();
    const apiSecret = w.fake.callbackApiSecret(card.outTrackId) ?? '';
    const first = await pushHttpCard(`${w.started.baseUrl}/dingtalk/card`, payload, { apiSecret, timestamp });
    const again = await pushHttpCard(`${w.started.baseUrl}/dingtalk/card`, payload, { apiSecret, timestamp });
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(2000);
    const tally = `参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`;
    expect(first.json).toMatchObject({ cardData: { cardParamMap: { tally } }, userPrivateData: { cardParamMap: { myStatus: '已确认参加 #1' } } });
    expect(again).toMatchObject({ status: 200, json: {} });
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect((await w.started.bot.services.duties.history(duty?.id ?? '')).filter((h) => h.type === 'answer')).toHaveLength(1);
  });

  it('should not let a replayed click undo a later answer', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    const cardUrl = `${w.started.baseUrl}/dingtalk/card`;
    const attend = cardCallback({ outTrackId: card.outTrackId, userId: user(1), params: { value: card.cardData.btn1Value } });
    const leave = cardCallback({ outTrackId: card.outTrackId, userId: user(1), params: { value: card.cardData.btn2Value, reason: '出差' } });
    const t1 = Date.now();
    const apiSecret = w.fake.callbackApiSecret(card.outTrackId) ?? '';
    await pushHttpCard(cardUrl, attend, { apiSecret, timestamp: t1 });
    await pushHttpCard(cardUrl, leave, { apiSecret, timestamp: t1 + 1 });
    const replay = await pushHttpCard(cardUrl, attend, { apiSecret, timestamp: t1 });
    expect(replay).toMatchObject({ status: 200, json: {} });
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect((await w.started.bot.services.duties.answers(duty?.id ?? '')).get(user(1))).toMatchObject({ status: 'leave', reason: '出差' });
  });

  it('should refuse malformed JSON with 400 after the signature check', async () => {
    const timestamp = Date.now();
    const { signHttp } = await import('../fakes/dingtalk');
    const res = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', timestamp: String(timestamp), sign: signHttp(timestamp, w.fake.clientSecret) },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    await nothingHappened();
  });
});
