import { pushToBot, memberEvent } from '../fakes/feishu';
import { eventually } from '../helpers/harness';
import { CHAT, ENCRYPT_KEY, SECRETARY, VERIFICATION_TOKEN, cardTally, feishuWorld, isCard, member, textOf, type FeishuWorld } from './support';

const chat = { platform: 'feishu' as const, chatId: CHAT };

describe('Feishu rosters, secretaries and nudges', () => {
  let w: FeishuWorld;
  beforeEach(async () => {
    w = await feishuWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should read every page of the members and the owner from the chat info', async () => {
    await w.stop();
    w = await feishuWorld({ fake: { memberPageSize: 2 } });
    const members = await w.started.bot.services.roster.members(chat, { fresh: true });
    expect(members).toHaveLength(6);
    expect(members.find((m) => m.id === SECRETARY)?.platformRole).toBe('owner');
    expect(w.fake.calls.filter((c) => c.path.endsWith(`/chats/${CHAT}/members`)).length).toBe(3);
  });

  it('should let a secretary add a secretary with 设置管理员 @某人, who may then create duties', async () => {
    await w.say(member(2), '会议 党小组会 明天下午3点');
    await w.waitFor((m) => textOf(m).includes('只有本群的党务管理员'), 'the refusal');
    const { messageEvent } = await import('../fakes/feishu');
    const event = messageEvent({
      chatId: CHAT,
      senderOpenId: SECRETARY,
      text: '设置管理员',
      mentionBot: true,
      botName: '落实',
      extraMentions: [{ openId: member(2), name: '张丽' }],
      token: VERIFICATION_TOKEN,
    });
    const messageId = (event.event as { message: { message_id: string } }).message.message_id;
    w.fake.recordUserMessage(messageId, CHAT);
    expect((await pushToBot(w.url, event, { encryptKey: ENCRYPT_KEY })).status).toBe(200);
    await w.waitFor((m) => textOf(m).includes('已设置党务管理员：张丽'), 'the confirmation');
    expect([...(await w.started.bot.services.chats.secretaries(chat))]).toEqual([member(2)]);
    await w.say(member(2), '会议 党小组会 明天下午3点');
    await w.waitFor(isCard, 'the card by the new secretary');
  });

  it('should refuse 设置管理员 from a member who is not a secretary', async () => {
    const { messageEvent } = await import('../fakes/feishu');
    const event = messageEvent({
      chatId: CHAT,
      senderOpenId: member(3),
      text: '设置管理员',
      mentionBot: true,
      botName: '落实',
      extraMentions: [{ openId: member(3), name: '刘洋' }],
      token: VERIFICATION_TOKEN,
    });
    w.fake.recordUserMessage((event.event as { message: { message_id: string } }).message.message_id, CHAT);
    await pushToBot(w.url, event, { encryptKey: ENCRYPT_KEY });
    await w.waitFor((m) => textOf(m).includes('只有本群的党务管理员可以设置管理员'), 'the refusal');
    expect((await w.started.bot.services.chats.secretaries(chat)).size).toBe(0);
  });

  it('should refresh the roster when someone joins the chat', async () => {
    await w.started.bot.services.roster.members(chat, { fresh: true });
    w.fake.chat(CHAT)?.members.push({ open_id: 'ou_newcomer000000000000000000007', name: '孙伟' });
    const res = await pushToBot(w.url, memberEvent('added', { chatId: CHAT, users: [{ openId: 'ou_newcomer000000000000000000007', name: '孙伟' }], token: VERIFICATION_TOKEN }), {
      encryptKey: ENCRYPT_KEY,
    });
    expect(res.status).toBe(200);
    await eventually(async () => (await w.started.bot.services.chats.roster(chat)).members.some((m) => m.name === '孙伟'), 5000, 'the new roster');
  });

  it('should refresh every known chat’s roster once a day through one job scheduler', async () => {
    await w.started.bot.services.roster.members(chat, { fresh: true });
    const schedulers = await w.started.bot.queues.inbound.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === 'roster-refresh').map((s) => [s.key, s.pattern, s.tz])).toEqual([['roster-refresh', '0 4 * * *', 'Asia/Shanghai']]);
    w.fake.chat(CHAT)?.members.push({ open_id: 'ou_newcomer000000000000000000008', name: '周敏' });
    await w.started.bot.queues.inbound.add('roster-all', { type: 'roster-all' });
    await eventually(async () => (await w.started.bot.services.chats.roster(chat)).members.some((m) => m.name === '周敏'), 5000, 'the refreshed roster');
  });

  it('should nudge only those who have not answered, with Feishu mentions', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the card');
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    for (let i = 1; i <= 4; i++) await w.started.bot.services.dutyService.answer(duty?.id ?? '', { id: member(i), name: '' }, 'attending', w.clock.now());
    // Members 1-4 and the organizer (SECRETARY), who attends unless they answer otherwise (issue 17).
    await eventually(async () => w.fake.message(card.messageId)?.patches.map((p) => cardTally(p)).includes('参加 5 · 请假 0 · 未回复 1'), 5000, 'tally');
    await w.say(SECRETARY, '催办 #1');
    const nudge = await w.waitFor((m) => textOf(m).startsWith('⏰ 催办'), 'the nudge');
    expect(textOf(nudge)).not.toContain(`<at user_id="${SECRETARY}"></at>`);
    expect(textOf(nudge)).toContain(`<at user_id="${member(5)}"></at>`);
    for (let i = 1; i <= 4; i++) expect(textOf(nudge)).not.toContain(member(i));
  });

  it('should show a title with an @all tag or a markdown link as plain text', async () => {
    await w.say(SECRETARY, '会议 「<at user_id="all"></at>[点我](http://evil.example)」 明天下午3点');
    const card = await w.waitFor(isCard, 'the card');
    const json = JSON.stringify(card.content);
    const reply = await w.waitFor((m) => textOf(m).includes('已发起'), 'the reply');
    expect(textOf(reply)).not.toContain('<at');
    // The title sits only in plain_text nodes, never in markdown.
    const markdown = JSON.stringify((card.content as { body: { elements: { tag: string; content?: string }[] } }).body.elements.filter((e) => e.tag === 'markdown'));
    expect(markdown).not.toContain('evil');
    expect(json).toContain('evil.example');
  });
});

describe('Feishu direct nudges (设置 私信催办)', () => {
  let w: FeishuWorld;
  beforeEach(async () => {
    w = await feishuWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should also message each unanswered member one to one when the chat asked for it', async () => {
    await w.say(SECRETARY, '设置 私信催办 开');
    await w.waitFor((m) => textOf(m).startsWith('已开启私信催办'), 'the confirmation');
    const duty = await w.started.bot.services.dutyService.create(
      { chat, organizer: { id: SECRETARY, name: '王建国' }, kind: 'meeting', label: '会议', title: '支部委员会', at: w.clock.now() + 10 * 60_000, offsets: [9, 8] },
      w.clock.now(),
    );
    for (let i = 0; i < 4; i++) await w.started.bot.services.dutyService.answer(duty.id, { id: member(i), name: '' }, 'attending', w.clock.now());
    const job = (await w.started.bot.queues.reminders.getDelayed()).find((j) => j.id?.startsWith(`rem-${duty.id}-8-`));
    w.clock.t = job?.data.dueAt ?? w.clock.t;
    await job?.promote();
    await eventually(async () => w.fake.calls.filter((c) => c.query.receive_id_type === 'open_id' && c.status === 200).length === 2, 8000, 'two direct messages');
    const direct = w.fake.calls.filter((c) => c.query.receive_id_type === 'open_id' && c.status === 200).map((c) => (c.body as { receive_id: string }).receive_id);
    expect(direct.sort()).toEqual([member(4), member(5)].sort());
  });
});
