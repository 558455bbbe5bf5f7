/**
 * 述职评议 on DingTalk. Our card template has two buttons, too few for 好 / 较好 / 一般 / 差, so each member of the
 * audience gets one-to-one a `sampleActionCard4` message (four link buttons, robot message types:
 * https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format) through oToMessages/batchSend. A
 * link opens a signed page of our HTTP server; only its confirm button (a POST) records. The page then offers four
 * change buttons posting the member's choice sealed: the store never ties a member to a choice, no URL shows one.
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

  const open = async (url: string): Promise<Page> => {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };

  /** A tap on a page's button: the form's POST to the link, the choice (and when changing the seal) in the body. */
  const tap = async (url: string, choice: string, seal?: string): Promise<Page> => {
    const body = new URLSearchParams({ c: choice, ...(seal ? { s: seal } : {}) });
    const res = await fetch(url, { method: 'POST', body, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };

  /** The sealed choice a page after a rating posts with its change buttons. */
  const sealOf = (html: string): string => /name="s" value="([A-Za-z0-9_-]+)"/.exec(html)?.[1] ?? '';

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
    // No URL shows a choice: a link carries the member, the sealed hint, the expiry and the signature only.
    for (let i = 0; i < 4; i++) expect([...new URL(linkOf(zhang, i)).searchParams.keys()]).toEqual(['m', 't', 'exp', 'sig']);
    // Opening a link (or a preview fetching it) changes nothing: it asks to confirm.
    const shown = await open(linkOf(zhang, 3));
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('确认评议：差');
    expect(shown.html).toContain('name="c" value="poor"');
    expect(await w.started.bot.services.rating.whoRated(duty.id)).toEqual(new Set());
    // The tap posts.
    const rated = await tap(linkOf(zhang, 3), 'poor');
    expect(rated.html).toContain('已评议：差');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });
    await w.waitFor(() => (JSON.stringify(cardsIn(w.fake)[0]?.cardData).includes('已评议 1 / 应评议 6') ? true : undefined), 'the group card counting 1');
    // A replayed or second post without the page's seal changes nothing.
    for (const replay of [await tap(linkOf(zhang, 3), 'poor'), await tap(linkOf(zhang, 0), 'good')]) {
      expect(replay.status).toBe(409);
      expect(replay.html).toContain('你已评议过');
    }
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });

    // Change to 较好 with the page's buttons, once.
    const first = sealOf(rated.html);
    expect(first).not.toBe('');
    const changed = await tap(linkOf(zhang, 3), 'fair', first);
    expect(changed.html).toContain('已改为：较好');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });
    // The older page is out of date: nothing taken off a count twice.
    const stale = await tap(linkOf(zhang, 3), 'good', first);
    expect(stale.html).toContain('这个页面已过期');
    expect(await counts(duty.id)).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });
    // The newest page's buttons work.
    expect((await tap(linkOf(zhang, 3), 'good', sealOf(changed.html))).html).toContain('已改为：好');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });

    await tap(linkOf(await linksOf('staff004'), 2), 'average');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 1, poor: 0 });
    const stored = await everyStoredString(w.started.bot.redis, w.started.config.REDIS_KEY_PREFIX);
    expect(memberChoiceLinks(stored, ['staff003', 'staff004', '张丽', '刘洋'])).toEqual([]);
  });

  it('should refuse a forged or altered link, another member\'s hint or seal, a bad post, and a tap after the deadline', async () => {
    const duty = await report(w.clock.now() - HOUR);
    const { rating } = w.started.bot.services;
    const now = w.clock.now();
    await rating.open(duty.chat, duty.number, { id: SECRETARY, name: '王建国' }, now, now + 10 * HOUR);
    const zhang = await linksOf('staff003');
    const liu = await linksOf('staff004');

    // Another member's id, another button's hint, or a made-up signature in a link: the signature does not hold.
    const hintOf = (url: string): string => new URL(url).searchParams.get('t') ?? '';
    const altered = [
      linkOf(zhang, 0).replace('m=staff003', 'm=staff004'),
      linkOf(zhang, 0).replace(hintOf(linkOf(zhang, 0)), hintOf(linkOf(zhang, 3))),
      linkOf(zhang, 0).replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`),
    ];
    for (const forged of altered) {
      for (const page of [await open(forged), await tap(forged, 'poor')]) {
        expect(page.status).toBe(403);
        expect(page.html).toContain('链接无效或已过期');
      }
    }
    // 刘洋's link with 张丽's hint: signed for him, yet the hint does not open for him.
    const links = w.started.bot.reportLinks;
    const exp = Math.floor(now / 1000) + 86_400;
    const crossed = new URL(await links.ratingLink({ dutyId: duty.id, member: 'staff004', hint: hintOf(linkOf(zhang, 3)), exp }));
    expect((await tap(`${w.started.baseUrl}${crossed.pathname}${crossed.search}`, 'poor')).html).toContain('这个评议链接无效');
    expect((await tap(linkOf(zhang, 0), 'maybe')).status).toBe(400);
    expect(await rating.whoRated(duty.id)).toEqual(new Set());

    // 张丽's seal posted on 刘洋's page, or a link's hint posted as a seal: refused.
    const rated = await tap(linkOf(zhang, 0), 'good');
    const seal = sealOf(rated.html);
    expect((await tap(linkOf(liu, 0), 'poor', seal)).html).toContain('这个修改不是你的，或已失效');
    expect((await tap(linkOf(zhang, 0), 'poor', hintOf(linkOf(zhang, 0)))).html).toContain('这个修改不是你的，或已失效');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });
    // A member outside the audience.
    const outsider = new URL(await links.ratingLink({ dutyId: duty.id, member: 'staff999', hint: hintOf(linkOf(zhang, 3)), exp }));
    expect((await tap(`${w.started.baseUrl}${outsider.pathname}${outsider.search}`, 'poor')).html).toContain('你不在');

    // After the deadline the page says it closed; nothing changes.
    w.clock.t = now + 11 * HOUR;
    const late = await open(linkOf(liu, 3));
    expect(late.html).toContain('的评议已于');
    expect(late.html).toContain('截止，不能再评议或修改');
    expect((await tap(linkOf(liu, 3), 'poor')).html).toContain('截止，不能再评议或修改');
    expect(await counts(duty.id)).toEqual({ good: 1, fair: 0, average: 0, poor: 0 });
  });

  it('should send the results one-to-one to the organizer at the deadline', async () => {
    const now = Date.now();
    w.clock.t = now;
    const duty = await report(now - HOUR);
    const { rating } = w.started.bot.services;
    await rating.open(duty.chat, duty.number, { id: SECRETARY, name: '王建国' }, now, now + 3000);
    await tap(linkOf(await linksOf('staff002'), 0), 'good');
    await tap(linkOf(await linksOf('staff005'), 3), 'poor');
    w.clock.t = now + 3000;
    const dm = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && (s.userIds ?? []).includes(SECRETARY) && textOf(s).includes('述职评议结果')), 'the results to the organizer', 10_000);
    expect(textOf(dm)).toContain('已评议 2 / 应评议 6 人');
    expect(textOf(dm)).toContain('好 1 · 较好 0 · 一般 0 · 差 1');
    expect(w.sent().some((s) => textOf(s).includes('述职评议结果'))).toBe(false);
  });
});

describe('述职评议 on DingTalk over HTTP, without a card template', () => {
  it('should open by the HTTP callback, post the count as markdown, and rate by the links', async () => {
    const w = await dingWorld({ mode: 'http', template: false });
    try {
      const duty = await w.started.bot.services.duties.create(
        {
          chat: { platform: 'dingtalk', chatId: GROUP },
          kind: 'report',
          label: '述职',
          title: '季度述职',
          at: w.clock.now() - HOUR,
          organizer: { id: SECRETARY, name: '王建国' },
          audience: USERS.map((u) => u.userId),
          reminderOffsets: [],
        },
        w.clock.now(),
      );
      const said = await w.say(SECRETARY, `评议#${duty.number}，截止下周五18点`, { isAdmin: true });
      expect(said.status).toBe(200);
      await w.waitFor(() => w.sent().find((s) => textOf(s).includes('评议链接（好 / 较好 / 一般 / 差）已私信发给每位应评议成员')), 'the reply');
      await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown' && textOf(s).includes('已评议 0 / 应评议 6')), 'the count in the group');
      const msg = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && s.msgKey === 'sampleActionCard4' && (s.userIds ?? []).includes('staff006')), 'the links of 赵磊');
      const url = new URL((msg.msgParam as Record<string, string>).actionURL2 ?? '');
      const res = await fetch(`${w.started.baseUrl}${url.pathname}${url.search}`, { method: 'POST', body: new URLSearchParams({ c: 'fair' }) });
      expect(await res.text()).toContain('已评议：较好');
      // The page's form may post back to us only; nothing of it is cached.
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect((await w.started.bot.services.rating.results(duty.id, w.clock.now()))?.counts).toEqual({ good: 0, fair: 1, average: 0, poor: 0 });
    } finally {
      await w.stop();
    }
  });
});
