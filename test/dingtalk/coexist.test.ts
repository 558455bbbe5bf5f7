import { FakeFeishu, messageEvent, pushToBot } from '../fakes/feishu';
import { FakeDingTalk } from '../fakes/dingtalk';
import { eventually, startBot, type StartedBot } from '../helpers/harness';

describe('DingTalk beside Feishu in one process', () => {
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  let started: StartedBot;
  afterEach(async () => {
    await started.stop();
    await feishu.stop();
    await dingtalk.stop();
  });

  it('should run both platforms and answer each in its own chat', async () => {
    feishu = new FakeFeishu();
    dingtalk = new FakeDingTalk();
    const [feishuBase, dingBase] = await Promise.all([feishu.start(), dingtalk.start()]);
    feishu.addChat({ chatId: 'oc_coexist000000000000000000001', name: '飞书支部', ownerId: 'ou_owner00000000000000000000001', managers: [], members: [{ open_id: 'ou_owner00000000000000000000001', name: '王建国' }] });
    dingtalk.addGroup({ openConversationId: 'cidCoexist0001==', title: '钉钉支部', memberUserIds: ['u1'], scene: true });
    started = await startBot({
      env: {
        FEISHU_APP_ID: feishu.appId,
        FEISHU_APP_SECRET: feishu.appSecret,
        FEISHU_VERIFICATION_TOKEN: 'vt_coexist_token',
        FEISHU_BASE_URL: feishuBase,
        DINGTALK_CLIENT_ID: dingtalk.clientId,
        DINGTALK_CLIENT_SECRET: dingtalk.clientSecret,
        DINGTALK_API_BASE: dingBase,
        DINGTALK_OAPI_BASE: dingBase,
      },
    });
    expect(started.bot.services.platforms.names().sort()).toEqual(['dingtalk', 'feishu']);
    expect(started.config.sandbox).toBe(false);
    await eventually(async () => dingtalk.streamConnections() === 1, 8000, 'the DingTalk stream');
    await dingtalk.pushRobotMessage(dingtalk.robotMessage({ conversationId: 'cidCoexist0001==', senderStaffId: 'u1', senderNick: '张三', text: '帮助' }));
    await pushToBot(
      `${started.baseUrl}/feishu/events`,
      messageEvent({ chatId: 'oc_coexist000000000000000000001', senderOpenId: 'ou_owner00000000000000000000001', text: '帮助', mentionBot: true, botName: '落实', token: 'vt_coexist_token' }),
      {},
    );
    await eventually(async () => dingtalk.sentTo('cidCoexist0001==').length === 1 && feishu.messagesIn('oc_coexist000000000000000000001').length === 1, 8000, 'both answers');
  });
});
