/** 述职评议 on the console (sandbox driver): 评议 #N, the one-tap card, changes on the clicker's own card, refusals, anonymity. */
import type { CardModel } from '../../src/domain/card-model';
import { formatDateTime } from '../../src/time/format';
import { eventually, keysOf, recordKeys, recordPattern } from '../helpers/harness';
import { plain } from '../helpers/sandbox-driver';
import { addOutsider, ask, CHAT, dutyNo, shanghai, startWorld, type World } from '../handlers/support';
import { everyStoredString, memberChoiceLinks, ratingCardOf } from './support';

const TZ = 'Asia/Shanghai';

/** Everything the rating keeps for a duty, to compare before and after a refused input. */
async function ratingState(w: World, dutyId: string) {
  const redis = w.started.bot.redis;
  const p = recordKeys(w.started.config).inRecord(dutyId, 'rating', dutyId);
  return { rating: await redis.get(p), counts: await redis.hgetall(`${p}:counts`), raters: await redis.hgetall(`${p}:raters`) };
}

const counts = async (w: World, dutyId: string) => (await w.started.bot.services.rating.results(dutyId, w.clock.now()))?.counts;

const button = (card: CardModel, label: string) => {
  const b = card.buttons.find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label}`);
  return b.value;
};

describe('述职评议 on the console', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it('should open a rating only for the organizer of a 述职 past its deadline, once, and store nothing otherwise', async () => {
    // Friday 2026-11-27 10:00 Beijing time.
    await ask(w.driver, 'u1', '述职 2026年度述职 截止 今天下午3点');
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午2点');
    await ask(w.driver, 'u1', '述职 季度述职 截止 今天下午3点');
    const report = await dutyNo(w.started, 1);
    const meeting = await dutyNo(w.started, 2);
    const keys = async () => (await keysOf(w.started.bot.redis, recordPattern(w.started.config, 'rating:*'))).sort();

    expect((await ask(w.driver, 'u1', '评议 #1')).reply).toBe('#1 的截止时间（今天 15:00）还没到，述职结束后才能发起评议。'.replace('今天 15:00', formatDateTime(report.at, TZ, w.clock.now())));
    w.clock.t = shanghai('2026-11-27T16:00');
    expect((await ask(w.driver, 'u1', '评议 #2')).reply).toBe('#2 不是述职（报告类）事项，不能评议。');
    expect((await ask(w.driver, 'u2', '评议 #1')).reply).toBe('只有 #1 的发起人（王建国）可以发起评议。');
    expect((await ask(w.driver, 'u1', '评议 #9')).reply).toBe('本群没有 #9 这个事项。发送「列表」查看编号。');
    expect((await ask(w.driver, 'u1', '评议')).reply).toBe('请写上述职的编号，例如：评议 #7（或：评议 #7 截止 下周五18点）');
    expect((await ask(w.driver, 'u1', '评议 #1 截止 昨天下午3点')).reply).toBe('评议的截止时间必须在现在之后，例如：评议 #7 截止 下周五18点');
    expect((await ask(w.driver, 'u1', '评议 #1 截止 后天下午25点')).reply).toBe('时间「25点」不对：小时要在0到23之间');
    expect(await keys()).toEqual([]);

    // As typed: no space, full-width ＃ and digits, a Chinese comma.
    const opened = (await ask(w.driver, 'u1', '评议＃１，截止下周一18点')).reply;
    expect(opened).toBe(
      '已发起 #1「2026年度述职」述职评议：应评议 6 人，截止 11月30日（周一）18:00。请在评议卡片上选择 好 / 较好 / 一般 / 差，截止前可修改。评议匿名：只统计人数，不记录谁选了什么；截止后结果发给发起人和党务管理员。'.replace(
        '11月30日（周一）18:00',
        formatDateTime(shanghai('2026-11-30T18:00'), TZ, w.clock.now()),
      ),
    );
    const card = await ratingCardOf(w.driver, 1);
    expect(card.card.buttons.map((b) => b.label)).toEqual(['好', '较好', '一般', '差']);
    expect(card.card.tally).toBe('已评议 0 / 应评议 6');
    const before = await ratingState(w, report.id);
    expect((await ask(w.driver, 'u1', '评议 #1')).reply).toBe(`#1 已发起过评议，${formatDateTime(shanghai('2026-11-30T18:00'), TZ, w.clock.now())} 截止，不能重复发起。`);
    expect(await ratingState(w, report.id)).toEqual(before);
    expect(meeting.kind).toBe('meeting');

    // Without 截止: the third working day after today (Friday), 18:00.
    const reply = (await ask(w.driver, 'u1', '评议 #3')).reply;
    expect(reply).toContain(`截止 ${formatDateTime(shanghai('2026-12-02T18:00'), TZ, w.clock.now())}（默认：3个工作日后18:00）`);
  });

  it('should take one tap per member, let them change it on their own card only, and keep no member → choice mapping', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职 截止 今天下午3点');
    const report = await dutyNo(w.started, 1);
    w.clock.t = shanghai('2026-11-27T16:00');
    await ask(w.driver, 'u1', '评议 #1');
    const shared = await ratingCardOf(w.driver, 1);

    // 张丽 rates 好 on the shared card: her own card comes back with her choice, the shared card only counts.
    const first = await w.driver.click(shared.id, 'u3', button(shared.card, '好'));
    expect(first.body.toast).toEqual({ kind: 'success', text: '已评议：好（匿名，截止前可在你的卡片上修改）' });
    expect(first.body.card?.tally).toBe('已评议 1 / 应评议 6');
    expect(first.body.card?.fields.map((f) => f.label)).toEqual(['截止']);
    const own = first.body.personal;
    if (!own) throw new Error('no personal card');
    expect(own.fields.find((f) => f.label === '你的评议')?.value).toBe('好（截止前可在本卡片上修改）');
    expect(own.buttons.every((b) => 'seal' in b.value)).toBe(true);
    // The shared card as everyone sees it says nothing of her choice.
    const seen = await ratingCardOf(w.driver, 1, (c) => c.tally === '已评议 1 / 应评议 6');
    expect(JSON.stringify(seen.card)).not.toContain('seal');
    expect(seen.card.fields.map((f) => f.label)).toEqual(['截止']);
    expect(await counts(w, report.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });

    // Tapping the shared card again cannot change it: the store does not know her choice.
    const again = await w.driver.click(shared.id, 'u3', button(shared.card, '差'));
    expect(again.body.toast.kind).toBe('info');
    expect(again.body.toast.text).toContain('你已评议过');
    expect(await counts(w, report.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });

    // On her own card she changes to 差: 好 loses one, 差 gains one.
    const changed = await w.driver.click(shared.id, 'u3', button(own, '差'));
    expect(changed.body.toast).toEqual({ kind: 'success', text: '已改为：差' });
    expect(changed.body.personal?.fields.find((f) => f.label === '你的评议')?.value).toBe('差（截止前可在本卡片上修改）');
    expect(await counts(w, report.id)).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });
    const unchanged = await w.driver.click(shared.id, 'u3', button(changed.body.personal ?? own, '差'));
    expect(unchanged.body.toast).toEqual({ kind: 'info', text: '你的评议已经是「差」。' });

    // A replay of the old card's click (its seal is spent) changes nothing.
    const before = await ratingState(w, report.id);
    const replay = await w.driver.click(shared.id, 'u3', button(own, '一般'));
    expect(replay.body.toast.text).toBe('这张卡片已过期（你的评议在别处改过），请在最新收到的卡片上修改。');
    // Her card's seal is hers: in another member's click it opens nothing.
    const borrowed = await w.driver.click(shared.id, 'u4', button(own, '较好'));
    expect(borrowed.body.toast).toEqual({ kind: 'error', text: '这张卡片不是你的，或已失效：请在群里的评议卡片上评议。' });
    // A forged seal neither.
    const forged = await w.driver.click(shared.id, 'u3', { ...button(own, '好'), seal: 'A'.repeat(60) });
    expect(forged.body.toast.kind).toBe('error');
    // Someone outside the 述职's audience.
    await addOutsider(w.started);
    const outsider = await w.driver.click(shared.id, 'u7', button(shared.card, '好'));
    expect(outsider.body.toast).toEqual({ kind: 'warning', text: '你不在 #1 的评议名单中，不能评议。' });
    expect(await ratingState(w, report.id)).toEqual(before);

    await w.driver.click(shared.id, 'u4', button(shared.card, '好'));
    await w.driver.click(shared.id, 'u5', button(shared.card, '较好'));
    await w.driver.click(shared.id, 'u6', button(shared.card, '一般'));
    const results = await w.started.bot.services.rating.results(report.id, w.clock.now());
    expect(results).toMatchObject({ counts: { good: 1, fair: 1, average: 1, poor: 1 }, rated: 4, of: 6, positiveShare: 0.5, closed: false });
    await ratingCardOf(w.driver, 1, (c) => c.tally === '已评议 4 / 应评议 6');

    // Anonymous by construction: no stored string ties a member who rated to any choice.
    const stored = await everyStoredString(w.started.bot.redis, w.started.config.REDIS_KEY_PREFIX);
    expect(memberChoiceLinks([{ key: 'probe', entry: 'u3=poor' }, { key: 'probe', entry: '{"member":"u4","choice":"较好"}' }], ['u3', 'u4'])).toHaveLength(2);
    expect(memberChoiceLinks(stored, ['u3', 'u4', 'u5', 'u6', '张丽', '刘洋', '陈静', '赵磊'])).toEqual([]);
    // What the rating does keep about a member: that they rated, and how many times they changed.
    expect((await ratingState(w, report.id)).raters).toEqual({ u3: '2', u4: '1', u5: '1', u6: '1' });
    expect([...(await w.started.bot.services.rating.whoRated(report.id))].sort()).toEqual(['u3', 'u4', 'u5', 'u6']);
  });

  it('should count taps made at the same moment once each, and a double tap on one own card as one change', async () => {
    await ask(w.driver, 'u1', '述职 2026年度述职 截止 今天下午3点');
    const report = await dutyNo(w.started, 1);
    w.clock.t = shanghai('2026-11-27T16:00');
    await ask(w.driver, 'u1', '评议 #1');
    const shared = await ratingCardOf(w.driver, 1);
    const labels = ['好', '较好', '一般', '差', '好', '好'];
    const taps = await Promise.all(['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((id, i) => w.driver.click(shared.id, id, button(shared.card, labels[i] ?? '好'))));
    expect(taps.every((t) => t.body.toast.kind === 'success')).toBe(true);
    expect(await counts(w, report.id)).toEqual({ good: 3, fair: 1, average: 1, poor: 1 });
    // 李明 taps 差 twice on his own card before the first answer comes back, and 一般 on the same card too.
    const own = taps[1]?.body.personal;
    if (!own) throw new Error('no personal card');
    const double = await Promise.all([button(own, '差'), button(own, '差'), button(own, '一般')].map((v) => w.driver.click(shared.id, 'u2', v)));
    expect(double.filter((d) => d.body.toast.kind === 'success')).toHaveLength(1);
    const after = await counts(w, report.id);
    expect(after?.fair).toBe(0);
    expect(Object.values(after ?? {}).reduce((a, b) => a + b, 0)).toBe(6);
    expect((await ratingState(w, report.id)).raters.u2).toBe('2');
  });

  it('should close at the deadline: results to the organizer and secretaries, the card closed, late taps refused', async () => {
    // Real time: the closing is a BullMQ delayed job.
    const now = Date.now();
    w.clock.t = now;
    const { duties, rating } = w.started.bot.services;
    const report = await duties.create(
      {
        chat: CHAT,
        kind: 'report',
        label: '述职',
        title: '年度述职',
        at: now - 3_600_000,
        organizer: { id: 'u2', name: '李明' },
        audience: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'],
        reminderOffsets: [],
      },
      now,
    );
    await rating.open(report.chat, report.number, { id: 'u2', name: '李明' }, now, now + 2500);
    const shared = await ratingCardOf(w.driver, report.number);
    await w.driver.click(shared.id, 'u3', button(shared.card, '好'));
    await w.driver.click(shared.id, 'u4', button(shared.card, '较好'));
    await w.driver.click(shared.id, 'u5', button(shared.card, '差'));

    const posted = await eventually(
      async () => (await w.driver.messages()).find((m) => m.kind === 'text' && plain(m.text).includes('述职评议结果')),
      8000,
      'the results',
    );
    // The console has no one-to-one messages: the results go to the chat, mentioning the organizer and the secretary.
    expect(plain(posted.text)).toBe(
      [
        '@李明 @王建国 ',
        `📊 #${report.number}「年度述职」述职评议结果`,
        '已评议 3 / 应评议 6 人',
        '好 1 · 较好 1 · 一般 0 · 差 1',
        '好 + 较好：66.7%',
        '（匿名评议：只统计人数，不记录谁选了什么）',
      ].join('\n'),
    );
    expect((posted.text ?? []).filter((s) => 'mention' in s).map((s) => ('mention' in s ? s.mention.id : ''))).toEqual(['u2', 'u1']);
    const closed = await ratingCardOf(w.driver, report.number, (c) => c.buttons.length === 0);
    expect(closed.card.banner).toBe('评议已结束');

    w.clock.t = Date.now();
    const before = await ratingState(w, report.id);
    const late = await w.driver.click(shared.id, 'u6', button(shared.card, '好'));
    expect(late.body.toast.kind).toBe('warning');
    expect(late.body.toast.text).toMatch(/^#\d+ 的评议已于 .+ 截止，不能再评议或修改。$/);
    expect(await ratingState(w, report.id)).toEqual(before);
    // Planned once, run once: queuing the closing again adds nothing.
    await w.started.bot.services.outbox.rating(report.id, 'close', now + 2500, Date.now());
    await new Promise((r) => setTimeout(r, 500));
    expect((await w.driver.messages()).filter((m) => m.kind === 'text' && plain(m.text).includes('述职评议结果'))).toHaveLength(1);
  });
});
