import { CHAT, MEMBERS, SECRETARY, cardTally, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from './support';
import { eventually } from '../helpers/harness';
import { pushToBot, messageEvent, urlVerification } from '../fakes/feishu';

const chat = { platform: 'feishu' as const, chatId: CHAT };

describe('Feishu through the real SDK and the fake Open API', () => {
  let w: FeishuWorld;
  beforeEach(async () => {
    w = await feishuWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should answer the URL-verification challenge, encrypted and unsigned', async () => {
    const res = await pushToBot(w.url, urlVerification('ch-123', 'vt_luoshi_test_token_0001'), { encryptKey: 'luoshi-test-encrypt-key', signature: 'missing' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'ch-123' });
  });

  it('should post an interactive card when a secretary @-mentions the bot with 会议', async () => {
    const res = await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    const card = await w.waitFor(isCard, 'the duty card');
    expect(card.chatId).toBe(CHAT);
    expect(card.parentId).toBe(res.messageId);
    // The organizer (SECRETARY) attends unless they answer otherwise (issue 17).
    expect(cardTally(card.content)).toBe('参加 1 · 请假 0 · 未回复 5');
    const create = w.fake.calls.find((c) => c.path.endsWith(`/messages/${res.messageId}/reply`) && c.status === 200);
    expect(create).toBeDefined();
    const reply = await w.waitFor((m) => textOf(m).includes('已发起 #1'), 'the text reply');
    expect(reply.parentId).toBe(res.messageId);
  });

  it('should answer a click on 参加 within 3 s with a toast and the updated card', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    const [attend] = cardValues(card.content);
    const res = await w.click(member(1), card.messageId, attend);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const answer = res.json as { toast: { type: string; content: string }; card: { type: string; data: unknown } };
    expect(answer.toast).toEqual({ type: 'success', content: '已确认参加 #1' });
    expect(answer.card.type).toBe('raw');
    expect(cardTally(answer.card.data)).toBe('参加 2 · 请假 0 · 未回复 4');
    // Everyone else's copy is patched too.
    await eventually(async () => w.fake.message(card.messageId)?.patches.some((p) => cardTally(p) === '参加 2 · 请假 0 · 未回复 4'), 5000, 'the patch');
  });

  it('should take 请假 with the reason typed into the card form', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    const [, leave] = cardValues(card.content);
    const res = await w.click(member(2), card.messageId, leave, { reason: '外出培训' });
    expect((res.json as { toast: { content: string } }).toast.content).toBe('已请假 #1（外出培训）');
    const answers = await w.started.bot.services.duties.answers((await w.started.bot.services.duties.getByNumber(chat, 1))?.id ?? '');
    expect(answers.get(member(2))).toMatchObject({ status: 'leave', reason: '外出培训' });
  });

  it('should create one duty and one card when the same message is delivered three times', async () => {
    const first = await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { messageId: first.messageId });
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { messageId: first.messageId });
    await w.waitFor(isCard, 'the duty card');
    await new Promise((r) => setTimeout(r, 600));
    expect(w.fake.messagesIn(CHAT).filter(isCard)).toHaveLength(1);
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { signature: 'forged' as const }],
    ['a missing signature', { signature: 'missing' as const }],
  ])('should answer 401 to %s and store or send nothing', async (_label, opts) => {
    const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: '会议 支部委员会 明天下午3点', mentionBot: true, botName: '落实', token: 'vt_luoshi_test_token_0001' });
    const res = await pushToBot(w.url, event, { encryptKey: 'luoshi-test-encrypt-key', ...opts });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.started.bot.queues.inbound.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });
    expect(w.fake.messages).toHaveLength(0);
  });

  it('should answer 401 to a wrong verification token and store or send nothing', async () => {
    const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: '会议 支部委员会 明天下午3点', mentionBot: true, botName: '落实', token: 'WRONG' });
    const res = await pushToBot(w.url, event, { encryptKey: 'luoshi-test-encrypt-key' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(0);
    expect(w.fake.messages).toHaveLength(0);
  });

  it('should refuse a click from someone outside the chat and store nothing', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    const [attend] = cardValues(card.content);
    const res = await w.click('ou_stranger000000000000000000099', card.messageId, attend);
    expect((res.json as { toast: { type: string; content: string } }).toast).toEqual({ type: 'warning', content: '你不在 #1 的参与名单中，无需回复。' });
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    // Only the organizer's implied 参加 (issue 17): the stranger's click stored nothing.
    expect([...(await w.started.bot.services.duties.answers(duty?.id ?? '')).keys()]).toEqual([SECRETARY]);
  });

  it('should refuse a click whose card belongs to another chat', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    const [attend] = cardValues(card.content);
    const res = await w.click(member(1), card.messageId, attend, undefined, 'oc_otherchat000000000000000000009');
    expect((res.json as { toast: { type: string } }).toast.type).toBe('error');
  });

  it('should refresh an expired tenant token and still send', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the first card');
    const tokensBefore = w.fake.tokenCalls();
    w.fake.expireTokens();
    await w.say(SECRETARY, '学习 理论学习 后天上午9点');
    await w.waitFor((m) => isCard(m) && JSON.stringify(m.content).includes('理论学习'), 'the second card');
    expect(w.fake.tokenCalls()).toBeGreaterThan(tokensBefore);
    expect(w.fake.calls.some((c) => c.status === 400 && (c.response as { code?: number })?.code === 99991663)).toBe(true);
  });

  it('should refuse 会议 and 取消 from a member who is not a secretary', async () => {
    await w.say(member(3), '会议 支部委员会 明天下午3点');
    await w.waitFor((m) => textOf(m).includes('只有本群的党务管理员'), 'the refusal');
    expect(await w.started.bot.services.duties.listOpen(chat)).toHaveLength(0);
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the card');
    await w.say(member(3), '取消 #1');
    await w.waitFor((m) => textOf(m).includes('只有本群的党务管理员可以取消'), 'the cancel refusal');
    expect((await w.started.bot.services.duties.getByNumber(chat, 1))?.state).toBe('scheduled');
  });

  it('should ignore a group message that does not mention the bot', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { mentionBot: false });
    await new Promise((r) => setTimeout(r, 400));
    expect(w.fake.messages).toHaveLength(0);
    expect(MEMBERS).toHaveLength(6);
  });
});
