/**
 * Card callbacks with values nobody rendered, members answering for others, strangers, other chats; and the
 * commands only secretaries may use. Refusals store nothing and send nothing but the refusal itself.
 */
import { cardActionEvent } from '../fakes/feishu';
import { CHAT, SECRETARY, VERIFICATION_TOKEN, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from '../feishu/support';
import { eventually } from '../helpers/harness';
import { FEISHU_CHAT, feishuState, given, groupMessage, sendRaw, settle, signedEvent, storeState } from './support';

interface Toast {
  readonly toast: { readonly type: string; readonly content: string };
  readonly card?: unknown;
}

async function worldWithDuty(): Promise<{ w: FeishuWorld; cardId: string; attend: Record<string, unknown>; leave: Record<string, unknown>; dutyId: string }> {
  const w = await feishuWorld();
  await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
  const card = await w.waitFor(isCard, 'the duty card');
  const [attend, leave] = cardValues(card.content) as Record<string, unknown>[];
  const duty = await w.started.bot.services.duties.getByNumber(FEISHU_CHAT, 1);
  await settle(w.started);
  if (!attend || !leave || !duty) throw new Error('the duty card has no buttons');
  return { w, cardId: card.messageId, attend, leave, dutyId: duty.id };
}

const click = async (w: FeishuWorld, o: { operator: string; messageId: string; value: unknown; form?: Record<string, string>; chatId?: string }): Promise<{ status: number; body: Toast }> => {
  const res = await sendRaw(
    w.url,
    signedEvent(
      cardActionEvent({ chatId: o.chatId ?? CHAT, messageId: o.messageId, operatorOpenId: o.operator, value: o.value, token: VERIFICATION_TOKEN, ...(o.form ? { formValue: o.form } : {}) }),
    ),
  );
  return { status: res.status, body: res.json as Toast };
};

describe('Feishu card values nobody rendered', () => {
  let w: FeishuWorld;
  let cardId: string;
  let attend: Record<string, unknown>;
  let dutyId: string;

  beforeAll(async () => {
    ({ w, cardId, attend, dutyId } = await worldWithDuty());
  });
  afterAll(async () => {
    await w.stop();
  });

  /** Values no card ever carried, built from the genuine 参加 value and the duty id. */
  const tampered: readonly [string, (a: Record<string, unknown>, id: string) => unknown][] = [
    ['an unknown duty id', (a) => ({ ...a, duty: 'zzzzzzzzzzzz' })],
    ['an unknown act', (a) => ({ ...a, act: 'delete' })],
    ['the act cancel', (a) => ({ ...a, act: 'cancel' })],
    ['version 2', (a) => ({ ...a, v: 2 })],
    ['the version as a string', (a) => ({ ...a, v: '1' })],
    ['no version', (_a, id) => ({ duty: id, act: 'attend' })],
    ['the duty id in capitals', (a, id) => ({ ...a, duty: id.toUpperCase() })],
    ['a duty id reaching into a sub-key', (a, id) => ({ ...a, duty: `${id}:answers` })],
    ['a duty id with a wildcard', (a) => ({ ...a, duty: '*' })],
    ['an extra member field', (a) => ({ ...a, member: member(2) })],
    ['an extra chat field', (a) => ({ ...a, chat: 'oc_otherchat000000000000000000009' })],
    ['an extra status field', (a) => ({ ...a, status: 'submitted' })],
    ['a __proto__ key', (_a, id) => JSON.parse(`{"v":1,"duty":"${id}","act":"attend","__proto__":{"member":"${member(2)}"}}`) as unknown],
    ['the value as a JSON string', (a) => JSON.stringify(a)],
    ['null', () => null],
    ['a number', () => 1],
    ['an array holding the value', (a) => [a]],
    ['an empty object', () => ({})],
    ['the value nested one level down', (a) => ({ value: a })],
  ];

  it.each(tampered)('should answer with an error toast and store or send nothing when the card value has %s', async (_name, build) => {
    const before = await feishuState(w);
    const res = await click(w, { operator: member(1), messageId: cardId, value: build(attend, dutyId) });
    expect(res.status).toBe(200);
    expect(res.body.toast.type).toBe('error');
    expect(res.body.card).toBeUndefined();
    await settle(w.started);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should record nothing for anyone when a member sends a value that names another member', async () => {
    const before = await feishuState(w);
    const res = await click(w, { operator: member(1), messageId: cardId, value: { ...attend, member: member(2) } });
    expect(res.body.toast.type).toBe('error');
    const answers = await w.started.bot.services.duties.answers(dutyId);
    expect(answers.has(member(1))).toBe(false);
    expect(answers.has(member(2))).toBe(false);
    expect(await feishuState(w)).toEqual(before);
  });

  it('should refuse and store or send nothing when someone outside the chat clicks', async () => {
    const before = await feishuState(w);
    const res = await click(w, { operator: 'ou_stranger000000000000000000099', messageId: cardId, value: attend });
    expect(res.body.toast).toEqual({ type: 'warning', content: '你不在 #1 的参与名单中，无需回复。' });
    expect(await feishuState(w)).toEqual(before);
  });

  it('should refuse and store or send nothing when a genuine value is clicked in another chat', async () => {
    const before = await feishuState(w);
    const res = await click(w, { operator: member(1), messageId: cardId, value: attend, chatId: 'oc_otherchat000000000000000000009' });
    expect(res.body.toast.type).toBe('error');
    expect(await feishuState(w)).toEqual(before);
  });

  it('should refuse and store nothing when 请假 comes without a reason', async () => {
    const before = await storeState(w.started, FEISHU_CHAT);
    const res = await click(w, { operator: member(3), messageId: cardId, value: { ...attend, act: 'leave' } });
    expect(res.body.toast.type).toBe('warning');
    expect(await storeState(w.started, FEISHU_CHAT)).toEqual(before);
  });
});

describe('Feishu: the one who answers is always the operator', () => {
  let w: FeishuWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should record the answer for the operator only when the form carries another member id', async () => {
    const world = await worldWithDuty();
    w = world.w;
    const res = await click(w, { operator: member(3), messageId: world.cardId, value: world.leave, form: { reason: '外出培训', member: member(4), operator: member(4) } });
    expect(res.body.toast.type).toBe('success');
    const answers = await w.started.bot.services.duties.answers(world.dutyId);
    expect(given(answers)).toEqual([member(3)]);
    expect(answers.get(member(3))).toMatchObject({ status: 'leave', reason: '外出培训' });
    const entries = (await w.started.bot.services.duties.history(world.dutyId)).filter((e) => e.type === 'answer');
    expect(entries.map((e) => e.by)).toEqual([member(3)]);
  });

  it('should record the answer for the member who clicked, not the organizer, when a member clicks the secretary-posted card', async () => {
    const world = await worldWithDuty();
    w = world.w;
    await click(w, { operator: member(5), messageId: world.cardId, value: world.attend });
    const answers = await w.started.bot.services.duties.answers(world.dutyId);
    expect(given(answers)).toEqual([member(5)]);
    // The organizer keeps only their implied 参加 (issue 17): the click was not recorded as theirs.
    expect(answers.get(SECRETARY)).toEqual({ memberId: SECRETARY, status: 'attending', at: expect.any(Number), implied: true });
  });

  it('should answer for the typing member only when 参加 is followed by other members\' names', async () => {
    const world = await worldWithDuty();
    w = world.w;
    const { event } = groupMessage(w, member(2), `参加 #1 ${member(4)} @张丽`);
    expect((await sendRaw(w.url, signedEvent(event))).status).toBe(200);
    await w.waitFor((m) => textOf(m).includes('已确认参加'), 'the confirmation');
    const answers = await w.started.bot.services.duties.answers(world.dutyId);
    expect(given(answers)).toEqual([member(2)]);
  });
});

describe('Feishu: only secretaries create, cancel, nudge and manage', () => {
  let w: FeishuWorld;

  beforeAll(async () => {
    ({ w } = await worldWithDuty());
  });
  afterAll(async () => {
    await w.stop();
  });

  /** The domain part of the state: duties, answers, history, open set and secretaries (not the queues). */
  const domain = async (): Promise<unknown> => {
    const { duties, open, secretaries } = (await storeState(w.started, FEISHU_CHAT)) as { duties: unknown; open: unknown; secretaries: unknown };
    const series = await w.started.bot.services.seriesRepo.list(FEISHU_CHAT);
    const quiet = await w.started.bot.services.chats.setting(FEISHU_CHAT, 'quiet');
    return { duties, open, secretaries, series, quiet };
  };

  it.each([
    ['会议 党小组会 后天下午3点', '只有本群的党务管理员（支部书记、党务干部）可以发起事项'],
    ['述职 2026年度述职报告 截止 12月20日', '可以发起事项'],
    ['取消 #1', '只有本群的党务管理员可以取消'],
    ['催办 #1', '只有本群的党务管理员可以催办'],
    ['改期 #1 后天下午3点', '只有本群的党务管理员可以改期'],
    ['提醒 #1 提前1天', '只有本群的党务管理员可以设置提醒'],
    ['设置管理员', '只有本群的党务管理员可以设置管理员'],
    ['移除管理员', '只有本群的党务管理员可以设置管理员'],
    ['设置 免打扰 关', '只有本群的党务管理员可以修改设置'],
    ['启用 三会一课', '可以发起事项'],
    ['会议 支部委员会 每月第一个工作日下午3点', '可以发起事项'],
  ])('should change nothing and send only the refusal when a member sends「%s」', async (command, refusal) => {
    await settle(w.started);
    const before = await domain();
    const sentBefore = w.fake.messages.length;
    // 设置管理员 / 移除管理员 need a real mention: the member names themself and the secretary.
    const mentions = command.endsWith('管理员') ? [{ openId: member(4), name: '刘洋' }, { openId: SECRETARY, name: '王建国' }] : undefined;
    const { event, messageId } = groupMessage(w, member(4), command, mentions ? { mentions } : {});
    expect((await sendRaw(w.url, signedEvent(event))).status).toBe(200);
    const reply = await w.waitFor((m) => m.parentId === messageId && m.msgType === 'text', `the refusal of「${command}」`);
    expect(textOf(reply)).toContain(refusal);
    await settle(w.started, 100);
    expect(await domain()).toEqual(before);
    const sent = w.fake.messages.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent.some((m) => textOf(m).includes('<at user_id='))).toBe(false);
  });

  it('should leave the duty scheduled and the secretaries as they were when a member tries 取消', async () => {
    const { event, messageId } = groupMessage(w, member(4), '取消 #1');
    await sendRaw(w.url, signedEvent(event));
    await eventually(async () => w.fake.messages.find((m) => m.parentId === messageId && textOf(m).includes('只有本群的党务管理员')), 5000, 'the refusal');
    expect((await w.started.bot.services.duties.getByNumber(FEISHU_CHAT, 1))?.state).toBe('scheduled');
    expect([...(await w.started.bot.services.chats.secretaries(FEISHU_CHAT))]).toEqual([]);
  });
});
