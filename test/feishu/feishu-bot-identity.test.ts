/**
 * The bot knows itself by its open_id, read from GET /open-apis/bot/v3/info at start
 * (https://open.feishu.cn/document/ukTMukTMukTM/uAjMxEjLwITMx4CMyETM), not by BOT_NAME: a renamed app, a client
 * showing another name and a member called 落实 all behave; `@所有人` is ignored, not fatal; rich text is read.
 */
import { Writable } from 'node:stream';
import { Bot } from '../../src/bot';
import { createLogger } from '../../src/logger';
import { FakeFeishu, messageEvent, pushToBot } from '../fakes/feishu';
import { eventually, removePrefix, testConfig } from '../helpers/harness';
import { settle } from '../security/support';
import { CHAT, ENCRYPT_KEY, MEMBERS, SECRETARY, VERIFICATION_TOKEN, feishuWorld, isCard, textOf, type FeishuWorld } from './support';

const MEMBER_LUOSHI = 'ou_member0000000000000000luoshi7';
const COMMAND = '会议 支部委员会 明天下午3点';

describe('Feishu: the bot is known by its open_id', () => {
  let w: FeishuWorld;
  beforeAll(async () => {
    // The app was renamed in the console: its name is no longer BOT_NAME (落实).
    w = await feishuWorld({ fake: { botName: 'Party Helper' } });
    w.fake.chat(CHAT)?.members.push({ open_id: MEMBER_LUOSHI, name: '落实' });
  });
  afterAll(async () => {
    await w.stop();
  });
  beforeEach(async () => {
    await settle(w.started);
    w.fake.messages.length = 0;
  });

  const push = (o: Partial<Parameters<typeof messageEvent>[0]>) => {
    const messageId = `om_${Math.random().toString(16).slice(2)}${Date.now()}`;
    w.fake.recordUserMessage(messageId, CHAT);
    const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: COMMAND, messageId, token: VERIFICATION_TOKEN, ...o });
    return pushToBot(w.url, event, { encryptKey: ENCRYPT_KEY });
  };

  it('should read the open_id from bot/v3/info at start', () => {
    expect(w.fake.calls.some((c) => c.method === 'GET' && c.path === '/open-apis/bot/v3/info' && c.status === 200)).toBe(true);
    expect(w.started.bot.feishu?.identity.known).toBe(w.fake.botOpenId);
  });

  it.each([
    ['the renamed app', 'Party Helper'],
    ['an English-locale client', 'Luoshi'],
  ])('should take the command when the mention of the bot shows the name of %s', async (_what, name) => {
    expect((await push({ mentionBot: true, botName: name })).status).toBe(200);
    const card = await w.waitFor(isCard, 'the duty card');
    expect(card.chatId).toBe(CHAT);
  });

  it('should ignore a group message that @-mentions a member called 落实 and not the bot', async () => {
    expect((await push({ mentionBot: false, extraMentions: [{ openId: MEMBER_LUOSHI, name: '落实' }] })).status).toBe(200);
    await settle(w.started, 300);
    expect(w.fake.messages).toEqual([]);
  });

  it('should write a member called 落实 as a mention, not take it for the bot, when the bot is mentioned too', async () => {
    await push({ mentionBot: true, botName: 'Party Helper', text: '@_user_1 没有这个命令 @_user_2', extraMentions: [{ openId: MEMBER_LUOSHI, name: '落实' }] });
    const reply = await w.waitFor((m) => textOf(m).includes('没看懂'), 'the reply');
    expect(textOf(reply)).toContain('没看懂「没有这个命令 @落实」');
  });

  it('should take the command when the message also @-mentions 所有人 (a mention without an open_id)', async () => {
    expect((await push({ mentionBot: true, botName: 'Party Helper', mentionAll: true })).status).toBe(200);
    const card = await w.waitFor(isCard, 'the duty card');
    expect(card.chatId).toBe(CHAT);
  });

  it('should not take a group message that only @-mentions 所有人 for a command', async () => {
    await push({ mentionBot: false, mentionAll: true });
    await settle(w.started, 300);
    expect(w.fake.messages).toEqual([]);
  });

  it('should read a rich-text (post) message that @-mentions the bot', async () => {
    expect((await push({ mentionBot: true, botName: 'Party Helper', messageType: 'post' })).status).toBe(200);
    const card = await w.waitFor(isCard, 'the duty card');
    expect(card.chatId).toBe(CHAT);
  });
});

describe('Feishu: bot/v3/info failing at start', () => {
  it('should start anyway, log the failure, retry, and then know the bot by its open_id', async () => {
    const fake = new FakeFeishu({ botName: 'Party Helper', botInfoFailures: 2 });
    const baseUrl = await fake.start();
    fake.addChat({ chatId: CHAT, name: '第一党支部', ownerId: SECRETARY, managers: [], members: MEMBERS.map((m) => ({ ...m })) });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = testConfig({ FEISHU_APP_ID: fake.appId, FEISHU_APP_SECRET: fake.appSecret, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN, FEISHU_BASE_URL: baseUrl, DEFAULT_QUIET_HOURS: 'off' });
    const bot = new Bot({ config, log: createLogger('info', sink) });
    try {
      const port = await bot.start(0, '127.0.0.1');
      expect(bot.feishu?.identity.known).toBeUndefined();
      expect(lines.some((l) => l.includes('bot/v3/info') && l.includes('"level":50'))).toBe(true);
      await eventually(async () => bot.feishu?.identity.known === fake.botOpenId, 10000, 'the retried read');
      expect(fake.calls.filter((c) => c.path === '/open-apis/bot/v3/info').map((c) => c.status)).toEqual([500, 500, 200]);
      const messageId = 'om_identity_retry_0001';
      fake.recordUserMessage(messageId, CHAT);
      const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: COMMAND, mentionBot: true, botName: 'Party Helper', messageId, token: VERIFICATION_TOKEN });
      expect((await pushToBot(`http://127.0.0.1:${port}/feishu/events`, event, { encryptKey: ENCRYPT_KEY })).status).toBe(200);
      await eventually(async () => fake.messages.find(isCard), 8000, 'the duty card');
    } finally {
      await bot.stop();
      await fake.stop();
      await removePrefix(config.REDIS_KEY_PREFIX);
    }
  }, 30000);
});
