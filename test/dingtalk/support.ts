import { FakeDingTalk, pushHttp, pushHttpCard, cardCallback, type DingCard, type DingSent, type FakeDingTalkOptions, type PushHttpResult } from '../fakes/dingtalk';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';

/** A scene group: DingTalk lists its members. */
export const GROUP = 'cidBranchScene0001==';
/** An ordinary internal group: no member API, a roster is kept with 名单. */
export const PLAIN = 'cidBranchPlain0002==';
export const SECRETARY = 'staff001';
export const USERS = [
  { userId: SECRETARY, name: '王建国' },
  { userId: 'staff002', name: '李明' },
  { userId: 'staff003', name: '张丽' },
  { userId: 'staff004', name: '刘洋' },
  { userId: 'staff005', name: '陈静' },
  { userId: 'staff006', name: '赵磊' },
];
export const user = (i: number): string => USERS[i]?.userId ?? '';
export const nameOf = (id: string): string => USERS.find((u) => u.userId === id)?.name ?? id;

export interface SayOptions {
  readonly chatId?: string;
  readonly isAdmin?: boolean;
  readonly msgId?: string;
  readonly atUsers?: readonly string[];
}

export interface DingWorld {
  readonly fake: FakeDingTalk;
  readonly started: StartedBot;
  readonly clock: TestClock;
  readonly mode: 'stream' | 'http';
  /** `@落实 <text>` from `sender` in the group; resolves once DingTalk got its ACK (Stream) or HTTP answer. */
  say(sender: string, text: string, o?: SayOptions): Promise<{ payload: Record<string, unknown>; acked: boolean; status?: number }>;
  /** Click a template card's button (its `btnNValue`), as `userId`. */
  click(userId: string, outTrackId: string, value: string, reason?: string): Promise<{ response?: unknown; ms: number; status?: number }>;
  /** Every message the bot sent into a group (markdown, texts, session replies, cards). */
  sent(chatId?: string): DingSent[];
  waitFor<T>(pick: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function dingWorld(o: { mode?: 'stream' | 'http'; template?: boolean; env?: Record<string, string>; fake?: FakeDingTalkOptions } = {}): Promise<DingWorld> {
  const mode = o.mode ?? 'stream';
  const fake = new FakeDingTalk(o.fake);
  const baseUrl = await fake.start();
  fake.addGroup({ openConversationId: GROUP, title: '第一党支部', ownerUserId: SECRETARY, memberUserIds: USERS.map((u) => u.userId), scene: true });
  fake.addGroup({ openConversationId: PLAIN, title: '第二党支部', memberUserIds: USERS.map((u) => u.userId) });
  for (const [i, u] of USERS.entries()) fake.addUser({ ...u, deptIds: i < 4 ? [100] : [200] });
  const clock = new TestClock(Date.now());
  const started = await startBot({
    clock: () => clock.now(),
    env: {
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_MODE: mode,
      DINGTALK_API_BASE: baseUrl,
      DINGTALK_OAPI_BASE: baseUrl,
      ...(o.template === false ? {} : { DINGTALK_CARD_TEMPLATE_ID: 'luoshi-duty.schema' }),
      // Reminders in these tests come due in real time, whatever the hour: quiet hours have their own tests.
      DEFAULT_QUIET_HOURS: 'off',
      ...o.env,
    },
  });
  if (mode === 'stream') await eventually(async () => fake.streamConnections() === 1, 8000, 'the stream connection');
  const say: DingWorld['say'] = async (sender, text, s = {}) => {
    const payload = fake.robotMessage({
      conversationId: s.chatId ?? GROUP,
      senderStaffId: sender,
      senderNick: nameOf(sender),
      text,
      isAdmin: s.isAdmin ?? false,
      ...(s.msgId ? { msgId: s.msgId } : {}),
      ...(s.atUsers ? { atUsers: s.atUsers.map((staffId) => ({ staffId })) } : {}),
    });
    if (mode === 'stream') return { payload, acked: (await fake.pushRobotMessage(payload)).acked };
    const res: PushHttpResult = await pushHttp(`${started.baseUrl}/dingtalk/events`, payload, { appSecret: fake.clientSecret });
    return { payload, acked: res.status === 200, status: res.status };
  };
  const click: DingWorld['click'] = async (userId, outTrackId, value, reason) => {
    const payload = cardCallback({ outTrackId, userId, params: { value, ...(reason ? { reason } : {}) } });
    if (mode === 'stream') {
      const r = await fake.pushCardCallback(payload);
      return { ...(r.response !== undefined ? { response: r.response } : {}), ms: r.ms };
    }
    // DingTalk signs HTTP card callbacks with the apiSecret their route was registered with.
    const r = await pushHttpCard(`${started.baseUrl}/dingtalk/card`, payload, { apiSecret: fake.callbackApiSecret(outTrackId) ?? '' });
    if (r.status === 200) fake.applyHttpCallbackAnswer(payload, r.json, r.ms);
    return { response: r.json, ms: r.ms, status: r.status };
  };
  return {
    fake,
    started,
    clock,
    mode,
    say,
    click,
    sent: (chatId = GROUP) => fake.sentTo(chatId),
    waitFor: (pick, what, timeoutMs = 8000) => eventually(async () => pick(), timeoutMs, what),
    stop: async () => {
      await started.stop();
      await fake.stop();
    },
  };
}

/** The text of a session reply, a group text, or a markdown message. */
export const textOf = (s: DingSent): string => {
  const p = (s.msgParam ?? {}) as Record<string, unknown>;
  return String(p.content ?? p.text ?? '');
};

export const cardsIn = (fake: FakeDingTalk, chatId = GROUP): DingCard[] =>
  [...fake.cards.values()].filter((c) => c.openSpaceId === `dtv1.card//IM_GROUP.${chatId}` && !c.cardData.notice);

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
