/**
 * 述职评议 on DingTalk. Our card template has two buttons, too few for 好 / 较好 / 一般 / 差, so each member of the
 * audience gets one-to-one a `sampleActionCard4` message (four link buttons, robot message types:
 * https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format) through oToMessages/batchSend. A
 * link opens a signed page of our HTTP server; only its confirm button (a POST) records. The page then carries four
 * change links holding the member's choice sealed: the store never ties a member to a choice.
 */
import { dingWorld, GROUP, SECRETARY, textOf, USERS, cardsIn, type DingWorld } from '../dingtalk/support';
import type { DingSent } from '../fakes/dingtalk';
import { everyStoredString, memberChoiceLinks } from './support';

const HOUR = 3_600_000;
const LABELS = ['好', '较好', '一般', '差'];

interface Page {
  status: number;
  html: string;
}

describe('述职评议 on DingTalk', () => {
  let w: DingWorld;

  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });

  afterEach(async () => {
    await w.stop();
  });

  const report = (at: number) =>
    w.started.bot.services.duties.create(
      {
        chat: { platform: 'dingtalk', chatId: GROUP },
        kind: 'report',
        label: '述职',
        title: '年度述职',
        at,
        organizer: { id: SECRETARY, name: '王建国' },
        audience: USERS.map((u) => u.userId),
        reminderOffsets: [],
      },
      w.clock.now(),
    );

  /** The one-to-one rating message `userId` got. */
  const linksOf = (userId: string): Promise<DingSent> =>
    w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && s.msgKey === 'sampleActionCard4' && (s.userIds ?? []).includes(userId)), `the rating links of ${userId}`);

  /** Link `i` (0 好 … 3 差) of a message, on the bot's own address (PUBLIC_BASE_URL is not set in the tests). */
  const linkOf = (msg: DingSent, i: number): string => {
    const p = msg.msgParam as Record<string, string>;
    expect(p[`actionTitle${i + 1}`]).toBe(LABELS[i]);
    const url = new URL(p[`actionURL${i + 1}`] ?? '');
    return `${w.started.baseUrl}${url.pathname}${url.search}`;
  };

  const open = async (url: string, method: 'GET' | 'POST' = 'GET'): Promise<Page> => {
    const res = await fetch(url, { method, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };

  /** The change links of a page after a rating, in order 好 … 差. */
  const changeLinks = (html: string): string[] =>
    [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => {
      const url = new URL((m[1] ?? '').replace(/&amp;/g, '&'));
      return `${w.started.baseUrl}${url.pathname}${url.search}`;
    });

  const counts = async (dutyId: string) => (await w.started.bot.services.rating.results(dutyId, w.clock.now()))?.counts;

  it('should open by message, send each member four links, rate on confirm only, change by the page, and keep no member → choice', async () => {
    const duty = await report(w.clock.now() - HOUR);
    await w.say(SECRETARY, `评议＃${String(duty.number).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`, { isAdmin: true });
    const reply = await w.waitFor(() => w.sent().find((s) => textOf(s).includes('述职评议')), 'the reply');
    expect(textOf(reply)).toContain('应评议 6 人');
    expect(textOf(reply)).toContain('评议链接（好 / 较好 / 一般 / 差）已私信发给每位应评议成员');
    for (const u of USERS) await linksOf(u.userId);
    const group = await w.waitFor(() => cardsIn(w.fake).find((c) => JSON.stringify(c.cardData).includes('述职评议')), 'the group card');
    expect(JSON.stringify(group.cardData)).toContain('已评议 0 / 应评议 6');

    const zhang = await linksOf('staff003');
    // Opening a link (or a preview fetching it) changes nothing: it asks to confirm.
    const shown = await open(linkOf(zhang, 3));
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('确认评议：差');
    expect(await w.started.bot.services.rating.whoRated(duty.id)).toEqual(new Set());
    // The tap posts.
    const rated = await open(linkOf(zhang, 3), 'POST');
    expect(rated.html).toContain('已评议：差');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });
    await w.waitFor(() => (JSON.stringify(cardsIn(w.fake)[0]?.cardData).includes('已评议 1 / 应评议 6') ? true : undefined), 'the group card counting 1');
    // The same link again (a replay, a second tap) changes nothing.
    const again = await open(linkOf(zhang, 0), 'POST');
    expect(again.status).toBe(409);
    expect(again.html).toContain('这个链接已用过');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });

    // Change to 较好 through the page's link, once.
    const change = changeLinks(rated.html);
    expect(change).toHaveLength(4);
    expect((await open(change[1] ?? '')).html).toContain('把你的评议改为「较好」？');
    const changed = await open(change[1] ?? '', 'POST');
    expect(changed.html).toContain('已改为：较好');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });
    // An older change link is out of date: nothing taken off a count twice.
    const stale = await open(change[0] ?? '', 'POST');
    expect(stale.html).toContain('这个链接已失效');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });
    // The newest change links work.
    expect((await open(changeLinks(changed.html)[0] ?? '', 'POST')).html).toContain('已改为：好');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });

    await open(linkOf(await linksOf('staff004'), 2), 'POST');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 1, poor: 0 });
    const stored = await everyStoredString(w.started.bot.redis, w.started.config.REDIS_KEY_PREFIX);
    expect(memberChoiceLinks(stored, ['staff003', 'staff004', '张丽', '刘洋'])).toEqual([]);
  });

  it('should refuse a forged or altered link, another member\'s seal, and a tap after the deadline', async () => {
    const duty = await report(w.clock.now() - HOUR);
    const { rating } = w.started.bot.services;
    const now = w.clock.now();
    await rating.open(duty.chat, duty.number, { id: SECRETARY, name: '王建国' }, now, now + 10 * HOUR);
    const zhang = await linksOf('staff003');
    const liu = await linksOf('staff004');

    // Another member's id, or another choice, in a link: the signature does not hold.
    for (const forged of [linkOf(zhang, 0).replace('m=staff003', 'm=staff004'), linkOf(zhang, 0).replace('c=good', 'c=poor'), linkOf(zhang, 0).replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`)]) {
      const page = await open(forged, 'POST');
      expect(page.status).toBe(403);
      expect(page.html).toContain('链接无效或已过期');
    }
    expect(await rating.whoRated(duty.id)).toEqual(new Set());

    // 张丽's seal in a link signed for 刘洋 (as someone holding the signing key could make): the seal does not open for him.
    const rated = await open(linkOf(zhang, 0), 'POST');
    const seal = new URL(changeLinks(rated.html)[2] ?? '').searchParams.get('s') ?? '';
    expect(seal).not.toBe('');
    const links = w.started.bot.reportLinks;
    const borrowed = new URL(await links.ratingLink({ dutyId: duty.id, member: 'staff004', choice: 'poor', seal, exp: Math.floor(now / 1000) + 86_400 }));
    const refused = await open(`${w.started.baseUrl}${borrowed.pathname}${borrowed.search}`, 'POST');
    expect(refused.html).toContain('这个修改链接不是你的，或已失效');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });
    // A member outside the audience.
    const outsider = new URL(await links.ratingLink({ dutyId: duty.id, member: 'staff999', choice: 'poor', exp: Math.floor(now / 1000) + 86_400 }));
    expect((await open(`${w.started.baseUrl}${outsider.pathname}${outsider.search}`, 'POST')).html).toContain('不在');

    // After the deadline the page says it closed; nothing changes.
    w.clock.t = now + 11 * HOUR;
    const late = await open(linkOf(liu, 3));
    expect(late.html).toContain('的评议已于');
    expect(late.html).toContain('截止，不能再评议或修改');
    expect((await open(linkOf(liu, 3), 'POST')).html).toContain('截止，不能再评议或修改');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });
  });

  it('should send the results one-to-one to the organizer at the deadline', async () => {
    const now = Date.now();
    w.clock.t = now;
    const duty = await report(now - HOUR);
    const { rating } = w.started.bot.services;
    await rating.open(duty.chat, duty.number, { id: SECRETARY, name: '王建国' }, now, now + 3000);
    await open(linkOf(await linksOf('staff002'), 0), 'POST');
    await open(linkOf(await linksOf('staff005'), 3), 'POST');
    w.clock.t = now + 3000;
    const dm = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && (s.userIds ?? []).includes(SECRETARY) && textOf(s).includes('述职评议结果')), 'the results to the organizer', 10_000);
    expect(textOf(dm)).toContain('已评议 2 / 应评议 6 人');
    expect(textOf(dm)).toContain('好 1 · 较好 0 · 一般 0 · 差 1');
    expect(w.sent().some((s) => textOf(s).includes('述职评议结果'))).toBe(false);
  });
});
