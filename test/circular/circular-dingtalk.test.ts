/**
 * 通报 on DingTalk (issue 15) through its public entry: robot messages over Stream against the fake of
 * test/fakes/dingtalk, with our card template. Units registered by 本群 … 上级 …, a 支委会 held in 第一党支部 (two
 * sign-ins, minutes), then 通报 in the 工委's chat: a template card whose values stay within DingTalk's 1 KB, one
 * row a unit (those falling short first) and a link to the signed page; 通报 in a 党支部 is refused; the automatic
 * circular (the 09:00 job) comes as a card too. Without a template, the card is one markdown message.
 */
import { CIRCULAR_REFUSAL } from '../../src/app/circular-service';
import { AUTO_CIRCULAR_FOOTER } from '../../src/domain/circular';
import { MAX_VALUE_BYTES } from '../../src/platforms/dingtalk/card';
import type { DingCard } from '../fakes/dingtalk';
import { cardsIn, dingWorld, GROUP, SECRETARY, textOf, user, USERS, type DingWorld } from '../dingtalk/support';
import { eventually } from '../helpers/harness';
import { circularRunAfter, holdBranchMeeting, monthTitle, monthWord, runCircularCheck } from './platform-steps';

jest.setTimeout(60000);

const COMMITTEE = 'cidCommitteeScene0009==';
const BRANCH2 = 'cidBranchScene0003==';
/** 赵磊: a superadmin, owner of the 工委's chat. */
const ROOT = user(5);

describe('通报 on DingTalk', () => {
  let w: DingWorld;

  beforeAll(async () => {
    w = await dingWorld({ mode: 'stream', env: { BOT_SUPERADMINS: ROOT } });
    const ids = USERS.map((u) => u.userId);
    w.fake.addGroup({ openConversationId: COMMITTEE, title: '市直机关工委', ownerUserId: ROOT, memberUserIds: ids, scene: true });
    w.fake.addGroup({ openConversationId: BRANCH2, title: '第二党支部', ownerUserId: user(4), memberUserIds: ids, scene: true });
  });

  afterAll(async () => {
    await w.stop();
  });

  const said = (chatId: string, part: string): Promise<string> =>
    w.waitFor(() => w.sent(chatId).map(textOf).find((t) => t.includes(part)), `「${part}」`);
  const circularCards = (title: string): DingCard[] => cardsIn(w.fake, COMMITTEE).filter((c) => c.cardData.title === title);
  /** The signed page's link in the card's fields (`**完整表格**：[打开](url)`), on the bot's own address. */
  const linkOf = (card: DingCard): string => (/\*\*完整表格\*\*：\[打开\]\((\S+?)\)/.exec(card.cardData.fields ?? '')?.[1] ?? '').replace(/^http:\/\/[^/]+/, w.started.baseUrl);

  /** The 支委会's start, set by the first test; the second runs the automatic circular of its month. */
  let at = 0;

  it('should answer 通报 in the 工委 with the template card of its branches, short-fallers first, and refuse it in a 党支部', async () => {
    at = await holdBranchMeeting(
      { clock: w.clock, say: (sender, text, chatId) => w.say(sender, text, { chatId }), said, meetingCard: () => w.waitFor(() => cardsIn(w.fake, GROUP)[0], 'the meeting card') },
      { root: ROOT, secretary: SECRETARY, members: [user(1), user(2)], committee: COMMITTEE, branch: GROUP, branch2: BRANCH2 },
    );

    await w.say(ROOT, `通报 ${monthWord(at, w.clock.now())}`, { chatId: COMMITTEE });
    const card = await eventually(async () => circularCards(`【通报】${monthTitle(at)}`)[0], 8000, 'the circular card');
    const data = card.cardData;
    expect(data.subtitle).toBe('市直机关工委');
    // Every value within the template's 1 KB; no buttons (the link is in the fields).
    for (const [key, value] of Object.entries(data)) expect([key, Buffer.byteLength(value) <= MAX_VALUE_BYTES]).toEqual([key, true]);
    expect(data.btn1Show).toBe('false');
    expect(data.fields).toContain('**下级单位**：2 个，未达要求 2 个：第二党支部、第一党支部');
    expect(data.tally).toBe('未达要求 2 · 达到要求 0');
    // One row a paragraph: 第二党支部 misses two, 第一党支部 one; 2 of 6 came: 积分 (2×2 签到 − 4×2 缺席 + 1 纪要) ÷ 6.
    expect(data.groups?.split('\n\n')).toEqual([
      '各单位（未达要求的在前）：',
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
      '⚠️ 第一党支部：支委会 1/1 · 主题党日 0/1⚠️；出勤率 33.3%；报告 无；人均积分 -0.5',
    ]);
    const page = await fetch(linkOf(card));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`市直机关工委 · ${monthTitle(at)} 通报`);
    expect(html).toMatch(/<tr data-unit="第二党支部" class="short">[\s\S]*<tr data-unit="第一党支部" class="short">/);

    await w.say(SECRETARY, '通报 本月');
    expect(await said(GROUP, '通报只能在')).toBe(CIRCULAR_REFUSAL.tooLow({ name: '第一党支部', level: '党支部' }));
  });

  it('should post the automatic circular of the month as a template card with the way to stop it, once', async () => {
    const { bot } = w.started;
    w.clock.t = circularRunAfter(at, (d) => bot.services.calendar.isWorkday(d));
    const check = (id: string): Promise<unknown> => runCircularCheck(w.started, id);
    expect(await check('test-circular-ding')).toMatch(/^circulars [123]$/);
    const title = `【通报】${monthTitle(at)}`;
    const autos = (): DingCard[] => circularCards(title).filter((c) => c.cardData.footer?.startsWith(AUTO_CIRCULAR_FOOTER));
    const auto = await eventually(async () => autos()[0], 8000, 'the automatic circular');
    expect(auto.cardData.groups?.split('\n\n')[1]).toBe('⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0');
    expect((await fetch(linkOf(auto))).status).toBe(200);
    expect(await check('test-circular-ding-2')).toBe('circulars 0');
    await new Promise((r) => setTimeout(r, 500));
    expect(autos()).toHaveLength(1);
    expect([...cardsIn(w.fake, GROUP), ...cardsIn(w.fake, BRANCH2)].some((c) => c.cardData.title?.startsWith('【通报】'))).toBe(false);
  });
});

describe('通报 on DingTalk without a card template', () => {
  it('should answer with the card as one markdown message: the rows, and the link that opens', async () => {
    const w = await dingWorld({ mode: 'stream', template: false });
    try {
      w.fake.addGroup({ openConversationId: COMMITTEE, title: '市直机关工委', ownerUserId: ROOT, memberUserIds: USERS.map((u) => u.userId), scene: true });
      const org = `units:\n  - name: 市直机关工委\n    chat: dingtalk:${COMMITTEE}\n  - name: 第一党支部\n    parent: 市直机关工委\n    chat: dingtalk:${GROUP}\n`;
      await w.started.bot.services.units.importOrgFile(org, 'test', w.clock.now());
      await w.say(ROOT, '通报 本月', { chatId: COMMITTEE });
      const md = await w.waitFor(() => w.sent(COMMITTEE).find((s) => s.msgKey === 'sampleMarkdown' && textOf(s).includes('【通报】')), 'the circular as markdown');
      const paragraphs = textOf(md).split('\n\n');
      expect(paragraphs.slice(0, 2)).toEqual([`### 【通报】${monthTitle(w.clock.now())}`, '市直机关工委']);
      expect(paragraphs).toContain('各单位（未达要求的在前）：');
      expect(paragraphs).toContain('⚠️ 第一党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0');
      const url = /\*\*完整表格\*\*：\[打开\]\((\S+?)\)/.exec(textOf(md))?.[1] ?? '';
      expect((await fetch(url.replace(/^http:\/\/[^/]+/, w.started.baseUrl))).status).toBe(200);
    } finally {
      await w.stop();
    }
  });
});
