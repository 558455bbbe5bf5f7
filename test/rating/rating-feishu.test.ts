/**
 * 述职评议 on Feishu (the official SDK against the fake, test/fakes/feishu): the group's card is shared by everyone
 * (JSON 2.0, update_multi), so the clicker's own card comes one-to-one, and a click on it changes their rating.
 */
import { CHAT, cardTally, cardValues, feishuWorld, isCard, member, MEMBERS, SECRETARY, textOf, type FeishuWorld } from '../feishu/support';
import type { FakeMessage } from '../fakes/feishu';
import { everyStoredString, memberChoiceLinks } from './support';

const HOUR = 3_600_000;
const title = (m: FakeMessage): string => String((m.content as { header?: { title?: { content?: string } } }).header?.title?.content ?? '');
type Answer = { toast?: { type?: string; content?: string }; card?: { type?: string; data?: unknown } };
const valueOf = (content: unknown, index: number): unknown => cardValues(content)[index];

describe('述职评议 on Feishu', () => {
  let w: FeishuWorld;

  beforeEach(async () => {
    w = await feishuWorld();
  });

  afterEach(async () => {
    await w.stop();
  });

  async function report(organizer: string, at: number) {
    const name = MEMBERS.find((m) => m.open_id === organizer)?.name ?? organizer;
    return w.started.bot.services.duties.create(
      {
        chat: { platform: 'feishu', chatId: CHAT },
        kind: 'report',
        label: '述职',
        title: '年度述职',
        at,
        organizer: { id: organizer, name },
        audience: [0, 1, 2, 3, 4, 5].map(member),
        reminderOffsets: [],
      },
      w.clock.now(),
    );
  }

  it('should post the shared card, send each rater their own card one-to-one and take a change there', async () => {
    w.clock.t = Date.now();
    const duty = await report(member(1), w.clock.t - HOUR);
    // Not the organizer: refused, nothing posted.
    await w.say(member(2), `评议#${duty.number}`);
    await w.waitFor((m) => m.chatId === CHAT && textOf(m).startsWith(`只有 #${duty.number} 的发起人`), 'the refusal');
    await w.say(member(1), `评议#${duty.number}`);
    await w.waitFor((m) => m.chatId === CHAT && textOf(m).startsWith(`已发起 #${duty.number}「年度述职」述职评议`), 'the answer');
    const shared = await w.waitFor((m) => m.chatId === CHAT && isCard(m) && title(m) === '述职评议：年度述职', 'the rating card');
    expect(cardValues(shared.content).map((v) => (v as { choice?: string }).choice)).toEqual(['good', 'fair', 'average', 'poor']);

    // 张丽 taps 好 on the group's card.
    const first = (await w.click(member(2), shared.messageId, valueOf(shared.content, 0))).json as Answer;
    expect(first.toast).toEqual({ type: 'success', content: '已评议：好（匿名；你的评议卡片已私信发给你，截止前可在那里修改）' });
    // The answer's card replaces the group's card for everyone: it counts, it says nothing of her choice.
    expect(cardTally(first.card?.data)).toBe('已评议 1 / 应评议 6');
    expect(JSON.stringify(first.card?.data)).not.toContain('你的评议');
    expect(JSON.stringify(first.card?.data)).not.toContain('seal');
    const own = await w.waitFor((m) => m.chatId === `p2p:${member(2)}` && isCard(m), 'her own card one-to-one');
    expect(JSON.stringify(own.content)).toContain('你的评议：好（截止前可在本卡片上修改）');

    // Tapping the group's card again changes nothing; her own card does.
    const again = (await w.click(member(2), shared.messageId, valueOf(shared.content, 3))).json as Answer;
    expect(again.toast?.type).toBe('info');
    const changed = (await w.click(member(2), own.messageId, valueOf(own.content, 3), undefined, `p2p:${member(2)}`)).json as Answer;
    expect(changed.toast).toEqual({ type: 'success', content: '已改为：差' });
    // Answered to the click on her one-to-one card: her copy alone shows the new choice, with a fresh seal.
    expect(JSON.stringify(changed.card?.data)).toContain('你的评议：差（截止前可在本卡片上修改）');
    const { rating } = w.started.bot.services;
    expect((await rating.results(duty.id, w.clock.now()))?.counts).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });
    // The old copy's seal is spent.
    const stale = (await w.click(member(2), own.messageId, valueOf(own.content, 1), undefined, `p2p:${member(2)}`)).json as Answer;
    expect(stale.toast?.type).toBe('warning');
    const next = (await w.click(member(2), own.messageId, valueOf(changed.card?.data, 1), undefined, `p2p:${member(2)}`)).json as Answer;
    expect(next.toast).toEqual({ type: 'success', content: '已改为：较好' });
    expect((await rating.results(duty.id, w.clock.now()))?.counts).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });

    await w.click(member(3), shared.messageId, valueOf(shared.content, 2));
    const stored = await everyStoredString(w.started.bot.redis, w.started.config.REDIS_KEY_PREFIX);
    expect(memberChoiceLinks(stored, [member(2), member(3), '张丽', '刘洋'])).toEqual([]);
  });

  it('should send the results one-to-one to the organizer and the secretary at the deadline', async () => {
    const now = Date.now();
    w.clock.t = now;
    const duty = await report(member(1), now - HOUR);
    const { rating } = w.started.bot.services;
    await rating.open(duty.chat, duty.number, { id: member(1), name: '李明' }, now, now + 3000);
    const shared = await w.waitFor((m) => m.chatId === CHAT && isCard(m) && title(m) === '述职评议：年度述职', 'the rating card');
    await w.click(member(2), shared.messageId, valueOf(shared.content, 0));
    await w.click(member(3), shared.messageId, valueOf(shared.content, 3));
    const expected = ['📊 #1「年度述职」述职评议结果', '已评议 2 / 应评议 6 人', '好 1 · 较好 0 · 一般 0 · 差 1', '好 + 较好：50%', '（匿名评议：只统计人数，不记录谁选了什么）'].join('\n');
    for (const to of [member(1), SECRETARY]) {
      const dm = await w.waitFor((m) => m.chatId === `p2p:${to}` && textOf(m).includes('述职评议结果'), `the results to ${to}`);
      expect(textOf(dm)).toBe(expected.replace('#1', `#${duty.number}`));
    }
    // Nothing of the results in the group; the group's card is closed.
    expect(w.fake.messages.some((m) => m.chatId === CHAT && textOf(m).includes('述职评议结果'))).toBe(false);
    await w.waitFor((m) => m.messageId === shared.messageId && m.patches.some((p) => cardValues(p).length === 0), 'the closed card');
  });
});
