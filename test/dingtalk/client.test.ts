import { PlatformError } from '../../src/errors';
import type { ActionResult, InboundAction } from '../../src/platforms/port';
import type { DingTalkPlatform } from '../../src/platforms/dingtalk';
import type { RatePacer } from '../../src/store/rate-pacer';
import { cardCallback, FakeDingTalk, QPS_CODE } from '../fakes/dingtalk';
import { sampleCard } from '../platforms/adapter-conformance';
import { platformOnFake } from '../platforms/dingtalk-platform';

const GROUP = 'cidClientTests0001==';

interface Built {
  fake: FakeDingTalk;
  platform: DingTalkPlatform;
  pacer: RatePacer;
  actions: InboundAction[];
  stop(): Promise<void>;
}

/** The platform (HTTP mode, no routes used) against the fake, with a dispatcher that records actions. */
async function build(template: boolean): Promise<Built> {
  const fake = new FakeDingTalk();
  const baseUrl = await fake.start();
  fake.addGroup({ openConversationId: GROUP, title: '支部', memberUserIds: ['u1', 'u2', 'u3'], scene: true });
  const actions: InboundAction[] = [];
  const { platform, pacer, close } = await platformOnFake(fake, baseUrl, {
    mode: 'http',
    template,
    inbound: {
      message: async () => undefined,
      file: async () => undefined,
      action: async (a): Promise<ActionResult> => {
        actions.push(a);
        return { toast: { kind: 'success', text: `第 ${actions.length} 次` } };
      },
    },
  });
  return {
    fake,
    platform,
    pacer,
    actions,
    stop: async () => {
      await close();
      await fake.stop();
    },
  };
}

describe('DingTalk client against the fake', () => {
  let b: Built;
  afterEach(async () => {
    await b.stop();
  });

  it('should @-mention through a notice card when no session webhook is live and a template is set', async () => {
    b = await build(true);
    const ref = await b.platform.client.sendText(GROUP, [{ text: '⏰ 催办 ' }, { mention: { id: 'u2', name: '李四' } }]);
    const card = b.fake.cards.get(ref.messageId);
    expect(card?.atUserIds).toEqual({ u2: '李四' });
    expect(card?.cardData.notice).toBe('⏰ 催办 @李四');
    expect(card?.cardData.btn1Show).toBe('false');
  });

  it('should write names out, unnotified, when there is neither a live webhook nor a template', async () => {
    b = await build(false);
    await b.platform.client.sendText(GROUP, [{ text: '请 @所有人 ' }, { mention: { id: 'u2', name: '李四' } }]);
    const [sent] = b.fake.sentTo(GROUP);
    expect(sent).toMatchObject({ kind: 'group', msgKey: 'sampleText', msgParam: { content: '请 ＠所有人 @李四' } });
  });

  it('should fetch the token once, keep it, and fetch again once after DingTalk refuses it', async () => {
    b = await build(true);
    for (let i = 0; i < 3; i++) await b.platform.client.sendCard(GROUP, sampleCard(`参加 ${i} · 请假 0 · 未回复 3`));
    expect(b.fake.tokenCalls()).toBe(1);
    b.fake.expireTokens();
    await b.platform.client.sendCard(GROUP, sampleCard('参加 9 · 请假 0 · 未回复 3'));
    expect(b.fake.tokenCalls()).toBe(2);
    expect(b.fake.calls.some((c) => (c.response as { code?: string } | undefined)?.code === 'InvalidAuthentication')).toBe(true);
  });

  it('should fail for good when the robot was removed from the group', async () => {
    b = await build(true);
    b.fake.failNext('robotNotInGroup');
    const err = await b.platform.client.sendCard(GROUP, sampleCard('参加 0 · 请假 0 · 未回复 3')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).permanent).toBe(true);
  });

  it('should hold the API’s bucket and fail transiently on a QPS refusal', async () => {
    b = await build(false);
    b.fake.failNext('throttle');
    const err = await b.platform.client.sendCard(GROUP, sampleCard('参加 0 · 请假 0 · 未回复 3')).catch((e: unknown) => e);
    expect(err).toMatchObject({ permanent: false, platformCode: QPS_CODE });
    const wait = await b.pacer.reserve([{ name: `dingtalk:${b.fake.clientId}:api:/v1.0/robot/groupMessages/send`, intervalMs: 55 }]);
    expect(wait).toBeGreaterThan(800);
  });

  it('should handle a callback delivered twice with the same id once, acking the repeat without an update', async () => {
    b = await build(true);
    const ref = await b.platform.client.sendCard(GROUP, sampleCard('参加 0 · 请假 0 · 未回复 3'));
    const payload = cardCallback({ outTrackId: ref.messageId, userId: 'u2', params: { value: '{"v":1,"duty":"abcdefghijkl","act":"attend"}' } });
    const first = await b.platform.receiver.onCardCallback(payload, 'stream-frame-1');
    const again = await b.platform.receiver.onCardCallback(payload, 'stream-frame-1');
    expect(b.actions).toHaveLength(1);
    expect(b.actions[0]).toMatchObject({ chat: { platform: 'dingtalk', chatId: GROUP }, actor: { id: 'u2' }, value: { act: 'attend' } });
    expect(first).toMatchObject({ userPrivateData: { cardParamMap: { myStatus: '第 1 次' } } });
    expect(again).toBeNull();
  });
});
