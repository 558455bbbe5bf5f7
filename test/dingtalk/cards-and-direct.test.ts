/**
 * DingTalk cards and one-to-one chats, as the official sources describe them:
 * - a click is answered with the card's new data and that card is not PUT: "不论是 HTTP 模式还是 Stream 模式，都可以
 *   通过响应事件回调来更新卡片数据" … "请勿在回调过程中，调用更新接口"
 *   (https://open.dingtalk.com/document/development/event-callback-card);
 * - a one-to-one chat is written to through its user: `oToMessages/batchSend`
 *   (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches) and the
 *   user's `IM_ROBOT` card space (https://open.dingtalk.com/document/development/create-and-deliver-cards);
 * - optional fields of a robot message with another type than documented (the field tables type `createAt` as
 *   String, the examples send a number) do not lose the message.
 */
import { pushHttp, type DingCall } from '../fakes/dingtalk';
import { settle } from '../security/support';
import { GROUP, SECRETARY, USERS, cardsIn, dingWorld, nameOf, textOf, user, type DingWorld } from './support';

const chat = { platform: 'dingtalk' as const, chatId: GROUP };
interface Answer {
  cardData?: { cardParamMap?: Record<string, string> };
  userPrivateData?: { cardParamMap?: Record<string, string> };
}
const putsOf = (calls: readonly DingCall[], outTrackId: string): DingCall[] =>
  calls.filter((c) => c.method === 'PUT' && c.path === '/v1.0/card/instances' && (c.body as { outTrackId?: string } | undefined)?.outTrackId === outTrackId);

describe.each(['stream', 'http'] as const)('DingTalk card clicks (%s mode)', (mode) => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode });
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should update the clicked card through the callback answer and never PUT it', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
    await settle(w.started, 300);
    const r = await w.click(user(1), card.outTrackId, card.cardData.btn1Value ?? '');
    const tally = `参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`;
    expect((r.response as Answer).cardData?.cardParamMap?.tally).toBe(tally);
    // The click's refresh (queued 250 ms after the answer) has run: it left the clicked card alone.
    await settle(w.started, 600);
    expect(putsOf(w.fake.calls, card.outTrackId)).toEqual([]);
    expect(w.fake.cards.get(card.outTrackId)?.cardData.tally).toBe(tally);
    expect(w.fake.cards.get(card.outTrackId)?.privateData[user(1)]).toMatchObject({ myStatus: '已确认参加 #1' });
  });

  it('should still PUT the card when the duty changes without a click on it (an answer typed as text)', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
    await w.click(user(1), card.outTrackId, card.cardData.btn1Value ?? '');
    await settle(w.started, 600);
    await w.say(user(2), '参加 #1');
    const tally = `参加 3 · 请假 0 · 未回复 ${USERS.length - 3}`;
    await w.waitFor(() => (w.fake.cards.get(card.outTrackId)?.cardData.tally === tally ? true : undefined), 'the card updated by PUT');
    await settle(w.started, 300);
    expect(putsOf(w.fake.calls, card.outTrackId)).toHaveLength(1);
  });
});

const DIRECT = 'cidDirectChatWithStaff004==';

describe.each([
  ['markdown', false],
  ['template card', true],
] as const)('DingTalk one-to-one chat with the robot (%s)', (_label, template) => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream', template });
  });
  afterEach(async () => {
    await w.stop();
  });

  /** `user(3)` writes to the robot one-to-one; the reply webhook is about to expire, so answers use the API. */
  const sayDirect = async (text: string): Promise<void> => {
    const sessionWebhook = w.fake.sessionWebhookFor(DIRECT, 5_000);
    const payload = w.fake.robotMessage({
      conversationId: DIRECT,
      conversationType: '1',
      senderStaffId: user(3),
      senderNick: nameOf(user(3)),
      text,
      sessionWebhook,
      sessionWebhookExpiredTime: w.fake.sessionWebhookExpiredTime(sessionWebhook) ?? 0,
    });
    expect((await w.fake.pushRobotMessage(payload)).acked).toBe(true);
  };
  const groupSendsTo = (chatId: string): DingCall[] =>
    w.fake.calls.filter((c) => c.path === '/v1.0/robot/groupMessages/send' && (c.body as { openConversationId?: string } | undefined)?.openConversationId === chatId);

  it('should reply and remind through oToMessages/batchSend and the IM_ROBOT space, never as a group', async () => {
    await sayDirect('帮助');
    const reply = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && textOf(s).includes('会议')), 'the reply to 帮助, one-to-one');
    expect(reply).toMatchObject({ userIds: [user(3)], msgKey: 'sampleText' });
    // A personal reminder in that chat, due in a second.
    const { duties, planner } = w.started.bot.services;
    const now = w.clock.now();
    const me = { id: user(3), name: nameOf(user(3)) };
    const duty = await duties.create(
      { chat: { platform: 'dingtalk', chatId: DIRECT }, kind: 'meeting', label: '会议', title: '个人学习', at: now + 61_000, organizer: me, audience: [me.id], reminderOffsets: [1] },
      now,
    );
    await planner.plan(duty, now);
    w.clock.t = Date.now() + 1000;
    if (template) {
      const card = await w.waitFor(() => [...w.fake.cards.values()].find((c) => c.openSpaceId === `dtv1.card//IM_ROBOT.${user(3)}` && (c.cardData.banner ?? '').includes('提醒')), 'the reminder card');
      expect(card.delivered).toBe(true);
      const call = w.fake.calls.find((c) => c.path === '/v1.0/card/instances/createAndDeliver' && (c.body as { outTrackId?: string }).outTrackId === card.outTrackId);
      expect(call?.body).toMatchObject({ imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' }, imRobotOpenSpaceModel: { supportForward: false } });
      expect(call?.body).not.toHaveProperty('imGroupOpenDeliverModel');
    } else {
      const sent = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && s.msgKey === 'sampleMarkdown' && textOf(s).includes('提醒：')), 'the reminder, one-to-one');
      expect(sent.userIds).toEqual([user(3)]);
    }
    expect(groupSendsTo(DIRECT)).toEqual([]);
    expect(await w.started.bot.queues.reminders.getFailedCount()).toBe(0);
    expect(await w.started.bot.queues.cards.getFailedCount()).toBe(0);
  });
});

// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk one-to-one chats and groups stay apart', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should never take a group the bot knows for a one-to-one chat, and forget a one-to-one chat a group message comes from', async () => {
    w = await dingWorld({ mode: 'stream', template: false });
    const client = w.started.bot.dingtalk?.client;
    await w.say(user(3), '列表');
    await w.waitFor(() => w.sent().find((s) => JSON.stringify(s.body).includes('本群')), 'the reply to 列表');
    // A message that says the group is a one-to-one chat with user(3) does not make it one.
    const claim = w.fake.robotMessage({ conversationId: GROUP, conversationType: '1', senderStaffId: user(3), senderNick: nameOf(user(3)), text: '帮助' });
    expect((await w.fake.pushRobotMessage(claim)).acked).toBe(true);
    await settle(w.started, 200);
    expect((await client?.listMembers(GROUP))?.map((m) => m.id).sort()).toEqual(USERS.map((u) => u.userId).sort());
    // A one-to-one chat is one until a group message comes from its conversation.
    const lone = 'cidLoneConversation0001==';
    const direct = w.fake.robotMessage({ conversationId: lone, conversationType: '1', senderStaffId: user(4), senderNick: nameOf(user(4)), text: '帮助' });
    expect((await w.fake.pushRobotMessage(direct)).acked).toBe(true);
    await settle(w.started, 200);
    expect(await client?.listMembers(lone)).toEqual([{ id: user(4), name: nameOf(user(4)) }]);
    const group = w.fake.robotMessage({ conversationId: lone, senderStaffId: user(4), senderNick: nameOf(user(4)), text: '帮助' });
    expect((await w.fake.pushRobotMessage(group)).acked).toBe(true);
    await settle(w.started, 200);
    // Now a group like any other: its members are asked of DingTalk (which does not know this one), not assumed.
    expect(await client?.listMembers(lone).catch(() => 'asked DingTalk')).not.toEqual([{ id: user(4), name: nameOf(user(4)) }]);
  });
});

describe('DingTalk robot messages whose optional fields have another type', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  /** The answer to 列表 (it speaks of 本群), sent into the group. */
  const reply = (): Promise<unknown> => w.waitFor(() => w.sent().find((s) => JSON.stringify(s.body).includes('本群')), 'the reply to 列表');

  it('should handle an HTTP message whose createAt is a string of digits (the type the field table gives)', async () => {
    w = await dingWorld({ mode: 'http' });
    const payload = { ...w.fake.robotMessage({ conversationId: GROUP, senderStaffId: user(3), senderNick: nameOf(user(3)), text: '列表' }), createAt: String(Date.now()) };
    expect((await pushHttp(`${w.started.baseUrl}/dingtalk/events`, payload, { appSecret: w.fake.clientSecret })).status).toBe(200);
    await reply();
  });

  it('should handle a Stream message whose optional fields are strings, numbers or objects where others are documented', async () => {
    w = await dingWorld({ mode: 'stream' });
    const base = w.fake.robotMessage({ conversationId: GROUP, senderStaffId: user(3), senderNick: nameOf(user(3)), text: '列表' });
    const payload = {
      ...base,
      createAt: 'yesterday',
      sessionWebhookExpiredTime: String(base.sessionWebhookExpiredTime),
      conversationTitle: 12345,
      isAdmin: 'no',
      isInAtList: 'yes',
      atUsers: { dingtalkId: 'not-an-array' },
      chatbotCorpId: 42,
      senderPlatform: null,
    };
    expect((await w.fake.pushRobotMessage(payload)).acked).toBe(true);
    await reply();
    expect(await w.started.bot.services.duties.listOpen(chat)).toEqual([]);
  });
});
