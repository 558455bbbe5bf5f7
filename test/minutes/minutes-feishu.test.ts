import { CHAT, feishuWorld, SECRETARY, textOf, type FeishuWorld } from '../feishu/support';

/*
 * 纪要 over the Feishu webhook (the console takes messages of at most 2000 characters): 10,000 characters are kept,
 * one more is refused in Chinese with nothing stored.
 */

jest.setTimeout(60000);

const chat = { platform: 'feishu' as const, chatId: CHAT };
let w: FeishuWorld;

beforeAll(async () => {
  w = await feishuWorld();
  await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
  await w.waitFor((m) => textOf(m).includes('已发起'), 'the duty');
});

afterAll(async () => {
  await w?.stop();
});

const minutesOf1 = async () => {
  const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
  return duty ? w.started.bot.services.minutes.get(duty.id) : undefined;
};

describe('纪要 length', () => {
  it('should refuse minutes over 10,000 characters and store nothing', async () => {
    await w.say(SECRETARY, `纪要 #1 ${'议'.repeat(10_001)}`);
    await w.waitFor((m) => textOf(m).includes('纪要最多 10000 字，这次是 10001 字'), 'the refusal', 10000);
    expect(await minutesOf1()).toBeUndefined();
  });

  it('should keep minutes of exactly 10,000 characters', async () => {
    await w.say(SECRETARY, `纪要 #1 ${'议'.repeat(10_000)}`);
    await w.waitFor((m) => textOf(m).includes('的纪要（10000 字）'), 'the confirmation', 10000);
    expect((await minutesOf1())?.text).toHaveLength(10_000);
  });
});
