import { eventually } from '../helpers/harness';
import { GROUP, SECRETARY, USERS, cardsIn, dingWorld, pause, textOf, user, type DingWorld } from './support';

const chat = { platform: 'dingtalk' as const, chatId: GROUP };
interface Answer {
  cardData?: { cardParamMap?: Record<string, string> };
  userPrivateData?: { cardParamMap?: Record<string, string> };
}

// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk in Stream mode through the official SDK and the fake', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  const createMeeting = async (): Promise<string> => {
    const said = await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    expect(said.acked).toBe(true);
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
    return card.outTrackId;
  };

  it('should deliver a card into the group when an admin @-mentions the bot with 会议', async () => {
    const outTrackId = await createMeeting();
    const card = w.fake.cards.get(outTrackId);
    expect(card).toMatchObject({ openSpaceId: `dtv1.card//IM_GROUP.${GROUP}`, callbackType: 'STREAM', delivered: true });
    expect(card?.cardData).toMatchObject({ title: '【会议】支部委员会', tally: `参加 1 · 请假 0 · 未回复 ${USERS.length - 1}`, btn1Label: '参加', btn2Label: '请假' });
    expect(JSON.parse(card?.cardData.btn1Value ?? '{}')).toMatchObject({ v: 1, act: 'attend' });
    // The command is answered through its own session webhook (no API call, and it could @ people).
    const reply = await w.waitFor(() => w.sent().find((s) => s.kind === 'session' && textOf(s).includes('#1')), 'the reply');
    expect(reply.msgKey).toBe('text');
    expect(w.fake.unackedFrames()).toEqual([]);
    expect(w.fake.streamProtocolErrors()).toEqual([]);
  });

  it('should let a recorded secretary create a duty, and refuse an ordinary member', async () => {
    await w.say(user(3), '会议 支部委员会 明天下午3点');
    await w.waitFor(() => w.sent().find((s) => textOf(s).includes('只有本群的党务管理员')), 'the refusal');
    expect(cardsIn(w.fake)).toHaveLength(0);
    await w.started.bot.services.chats.addSecretary(chat, user(3), { at: Date.now(), by: SECRETARY, what: 'test' });
    await w.say(user(3), '学习 理论学习 后天上午9点');
    await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
  });

  it('should ack a click on 参加 within 2 s with card data whose tally counts it, and update the card', async () => {
    const outTrackId = await createMeeting();
    const value = w.fake.cards.get(outTrackId)?.cardData.btn1Value ?? '';
    const r = await w.click(user(1), outTrackId, value);
    expect(r.ms).toBeLessThan(2000);
    const answer = r.response as Answer;
    expect(answer.cardData?.cardParamMap?.tally).toBe(`参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`);
    expect(answer.userPrivateData?.cardParamMap).toMatchObject({ myStatus: '已确认参加 #1', myStatusKind: 'success' });
    // The fake applies a timely answer, public data included, for every viewer: DingTalk says not to PUT the card a
    // callback answers (https://open.dingtalk.com/document/development/event-callback-card), and the bot does not.
    expect(w.fake.cards.get(outTrackId)?.privateData[user(1)]).toMatchObject({ myStatus: '已确认参加 #1' });
    expect(w.fake.cards.get(outTrackId)?.cardData.tally).toBe(`参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`);
    await pause(800);
    expect(w.fake.calls.filter((c) => c.method === 'PUT' && c.path === '/v1.0/card/instances')).toEqual([]);
  });

  it('should take 请假 with the reason from the card input', async () => {
    const outTrackId = await createMeeting();
    const value = w.fake.cards.get(outTrackId)?.cardData.btn2Value ?? '';
    const r = await w.click(user(2), outTrackId, value, '外出培训');
    expect((r.response as Answer).userPrivateData?.cardParamMap?.myStatus).toBe('已请假 #1（外出培训）');
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect((await w.started.bot.services.duties.answers(duty?.id ?? '')).get(user(2))).toMatchObject({ status: 'leave', reason: '外出培训' });
  });

  it('should count a click once when the same callback arrives twice', async () => {
    const outTrackId = await createMeeting();
    const value = w.fake.cards.get(outTrackId)?.cardData.btn1Value ?? '';
    const first = await w.click(user(1), outTrackId, value);
    const second = await w.click(user(1), outTrackId, value);
    expect((first.response as Answer).cardData?.cardParamMap?.tally).toBe(`参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`);
    expect((second.response as Answer).cardData?.cardParamMap?.tally).toBe(`参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`);
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    const history = await w.started.bot.services.duties.history(duty?.id ?? '');
    expect(history.filter((h) => h.type === 'answer')).toHaveLength(1);
  });

  it('should refuse a forged card value and a card the bot never made', async () => {
    const outTrackId = await createMeeting();
    const forged = await w.click(user(1), outTrackId, JSON.stringify({ v: 1, duty: 'zzzzzzzzzzzz', act: 'attend', x: 1 }));
    expect((forged.response as Answer).userPrivateData?.cardParamMap?.myStatusKind).toBe('error');
    const unknown = await w.click(user(1), 'lsc_nosuchcard', JSON.stringify({ v: 1, duty: 'abcdefghijkl', act: 'attend' }));
    expect((unknown.response as Answer).userPrivateData?.cardParamMap?.myStatus).toContain('失效');
  });

  it('should create one duty when the same robot frame is delivered twice', async () => {
    const said = await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    expect((await w.fake.pushRobotMessage(said.payload)).acked).toBe(true);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    await pause(600);
    expect(cardsIn(w.fake)).toHaveLength(1);
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(1);
  });

  it('should reconnect after the socket drops mid-way and lose nothing', async () => {
    const outTrackId = await createMeeting();
    // A message is on its way when the socket drops: its ACK cannot arrive, so DingTalk pushes it again later.
    const payload = w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: '学习 理论学习 后天上午9点', isAdmin: true });
    const inFlight = w.fake.pushRobotMessage(payload);
    w.fake.dropConnections();
    await eventually(async () => w.fake.streamConnections() === 0, 3000, 'the drop');
    await eventually(async () => w.fake.streamConnections() === 1, 8000, 'the reconnection');
    await inFlight;
    expect((await w.fake.pushRobotMessage(payload)).acked).toBe(true);
    const value = w.fake.cards.get(outTrackId)?.cardData.btn1Value ?? '';
    expect((await w.click(user(1), outTrackId, value)).response).toBeDefined();
    await w.waitFor(() => (cardsIn(w.fake).length === 2 ? true : undefined), 'the second card');
    await pause(500);
    expect(cardsIn(w.fake)).toHaveLength(2);
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(2);
    expect(w.fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open')).toHaveLength(2);
  });

  it('should open the next connection at once on a SYSTEM disconnect', async () => {
    w.fake.sendDisconnect(1500);
    await eventually(async () => w.fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open').length === 2, 3000, 'the new ticket');
    await eventually(async () => w.fake.streamConnections() === 1, 5000, 'the old socket closed');
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    expect(await w.fake.ping()).toBe(true);
  });
});
