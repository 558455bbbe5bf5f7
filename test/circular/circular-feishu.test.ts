/**
 * 通报 on Feishu (issue 15) through its public entry: events pushed to the webhook in the official SDK's shape against
 * the fake of test/fakes/feishu. Units registered by 本群 … 上级 …, a 支委会 held in 第一党支部 (two sign-ins,
 * minutes), then 通报 in the 工委's chat: an interactive card, one row a unit (those falling short first), a button
 * opening the signed page; 通报 in a 党支部 is refused; the automatic circular (the 09:00 job) comes as a card too.
 * Real time: Feishu's signed request timestamps are checked against the bot's clock (up to 8 h behind it).
 */
import { CIRCULAR_REFUSAL } from '../../src/app/circular-service';
import { AUTO_CIRCULAR_FOOTER } from '../../src/domain/circular';
import { cardWireBytes, FEISHU_CARD_MAX_BYTES } from '../../src/platforms/feishu/card';
import type { FakeMessage } from '../fakes/feishu';
import { CHAT, feishuWorld, isCard, member, MEMBERS, SECRETARY, textOf, type FeishuWorld } from '../feishu/support';
import { eventually } from '../helpers/harness';
import { circularRunAfter, holdBranchMeeting, monthTitle, monthWord, runCircularCheck } from './platform-steps';

jest.setTimeout(60000);

const COMMITTEE = 'oc_committee000000000000000000001';
const BRANCH2 = 'oc_branch0000000000000000000002';
/** 赵磊: a superadmin, owner of the 工委's chat. */
const ROOT = member(5);

/** Every text of a Feishu card (plain_text and markdown contents, header first) and its open_url links. */
function cardTexts(content: unknown): { texts: string[]; urls: string[] } {
  const texts: string[] = [];
  const urls: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const rec = node as Record<string, unknown>;
      if (typeof rec.content === 'string' && (rec.tag === 'plain_text' || rec.tag === 'markdown')) texts.push(rec.content);
      if (rec.type === 'open_url' && typeof rec.default_url === 'string') urls.push(rec.default_url);
      Object.values(rec).forEach(walk);
    }
  };
  walk(content);
  return { texts, urls };
}

describe('通报 on Feishu', () => {
  let w: FeishuWorld;

  beforeAll(async () => {
    w = await feishuWorld({ env: { BOT_SUPERADMINS: ROOT } });
    w.fake.addChat({ chatId: COMMITTEE, name: '市直机关工委群', ownerId: ROOT, managers: [], members: MEMBERS.map((m) => ({ ...m })) });
    w.fake.addChat({ chatId: BRANCH2, name: '第二党支部群', ownerId: member(4), managers: [], members: MEMBERS.map((m) => ({ ...m })) });
  });

  afterAll(async () => {
    await w.stop();
  });

  const said = (chatId: string, part: string): Promise<FakeMessage> => w.waitFor((m) => m.chatId === chatId && textOf(m).includes(part), `「${part}」`);
  const circularCards = (title: string): FakeMessage[] =>
    w.fake.messages.filter((m) => m.chatId === COMMITTEE && isCard(m) && cardTexts(m.content).texts[0] === title);

  /** The page a card's button opens, fetched on the bot's own address (PUBLIC_BASE_URL is not set in the tests). */
  const openPage = async (url: string): Promise<{ status: number; html: string }> => {
    const res = await fetch(url.replace(/^http:\/\/[^/]+/, w.started.baseUrl));
    return { status: res.status, html: await res.text() };
  };

  /** The 支委会's start, set by the first test; the second runs the automatic circular of its month. */
  let at = 0;

  it('should answer 通报 in the 工委 with the card of its branches, short-fallers first, and refuse it in a 党支部', async () => {
    at = await holdBranchMeeting(
      { clock: w.clock, say: (sender, text, chatId) => w.say(sender, text, { chatId }), said, meetingCard: () => w.waitFor((m) => m.chatId === CHAT && isCard(m), 'the meeting card') },
      { root: ROOT, secretary: SECRETARY, members: [member(1), member(2)], committee: COMMITTEE, branch: CHAT, branch2: BRANCH2 },
    );

    await w.say(ROOT, `通报 ${monthWord(at, w.clock.now())}`, { chatId: COMMITTEE });
    const card = await eventually(async () => circularCards(`【通报】${monthTitle(at)}`)[0], 8000, 'the circular card');
    const { texts, urls } = cardTexts(card.content);
    expect(texts[1]).toBe('市直机关工委');
    expect(texts).toContain('下级单位：2 个，未达要求 2 个：第二党支部、第一党支部');
    expect(texts).toContain('**未达要求 2 · 达到要求 0**');
    // One row a line: 第二党支部 misses two, 第一党支部 one; 2 of 6 members came: 积分 (2×2 签到 − 4×2 缺席 + 1 纪要) ÷ 6.
    const rows = texts.find((t) => t.startsWith('各单位（未达要求的在前）：'))?.split('\n');
    expect(rows).toEqual([
      '各单位（未达要求的在前）：',
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
      '⚠️ 第一党支部：支委会 1/1 · 主题党日 0/1⚠️；出勤率 33.3%；报告 无；人均积分 -0.5',
    ]);
    expect(texts).toContain('完整表格：打开');
    expect(cardWireBytes(card.content as Record<string, unknown>)).toBeLessThan(FEISHU_CARD_MAX_BYTES);
    expect(urls).toHaveLength(1);
    const page = await openPage(urls[0] ?? '');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`市直机关工委 · ${monthTitle(at)} 通报`);
    expect(page.html).toMatch(/<tr data-unit="第二党支部" class="short">[\s\S]*<tr data-unit="第一党支部" class="short">/);

    await w.say(SECRETARY, '通报 本月');
    expect(textOf(await said(CHAT, '通报只能在'))).toBe(CIRCULAR_REFUSAL.tooLow({ name: '第一党支部', level: '党支部' }));
  });

  it('should post the automatic circular of the month as a card with the way to stop it', async () => {
    const { bot } = w.started;
    w.clock.t = circularRunAfter(at, (d) => bot.services.calendar.isWorkday(d));
    expect(await runCircularCheck(w.started, 'test-circular-feishu')).toMatch(/^circulars [123]$/);
    const title = `【通报】${monthTitle(at)}`;
    const auto = await eventually(async () => circularCards(title).find((m) => cardTexts(m.content).texts.some((t) => t.startsWith(AUTO_CIRCULAR_FOOTER))), 8000, 'the automatic circular');
    const { texts, urls } = cardTexts(auto.content);
    expect(texts.find((t) => t.startsWith('各单位'))?.split('\n')[1]).toBe('⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0');
    expect((await openPage(urls[0] ?? '')).status).toBe(200);
    // Once: only the branches' chats have nothing, and a second run adds nothing.
    expect(await runCircularCheck(w.started, 'test-circular-feishu-2')).toBe('circulars 0');
    await new Promise((r) => setTimeout(r, 500));
    expect(circularCards(title).filter((m) => cardTexts(m.content).texts.some((t) => t.startsWith(AUTO_CIRCULAR_FOOTER)))).toHaveLength(1);
    expect(w.fake.messages.some((m) => m.chatId !== COMMITTEE && isCard(m) && cardTexts(m.content).texts[0]?.startsWith('【通报】'))).toBe(false);
  });
});
