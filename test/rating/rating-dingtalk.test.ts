/**
 * 述职评议 on DingTalk: our card template has two buttons (btn1, btn2: src/platforms/dingtalk/card.ts), too few for
 * 好 / 较好 / 一般 / 差, so a rating is refused there with a clear answer and nothing stored (no card showing two of
 * the four choices).
 */
import { dingWorld, GROUP, SECRETARY, textOf, USERS, type DingWorld } from '../dingtalk/support';

describe('述职评议 on DingTalk', () => {
  let w: DingWorld;

  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });

  afterEach(async () => {
    await w.stop();
  });

  it('should refuse 评议 with the reason and store nothing', async () => {
    const duty = await w.started.bot.services.duties.create(
      {
        chat: { platform: 'dingtalk', chatId: GROUP },
        kind: 'report',
        label: '述职',
        title: '年度述职',
        at: w.clock.now() - 3_600_000,
        organizer: { id: SECRETARY, name: '王建国' },
        audience: USERS.map((u) => u.userId),
        reminderOffsets: [],
      },
      w.clock.now(),
    );
    await w.say(SECRETARY, `评议 #${duty.number}`, { isAdmin: true });
    await w.waitFor(() => w.sent().find((s) => textOf(s).includes('这个平台的卡片放不下评议的四个选项（好 / 较好 / 一般 / 差），暂不能在这里发起评议。')), 'the refusal');
    expect(await w.started.bot.redis.keys(`${w.started.config.REDIS_KEY_PREFIX}:rating:*`)).toEqual([]);
    expect(await w.started.bot.services.rating.results(duty.id, w.clock.now())).toBeUndefined();
  });
});
