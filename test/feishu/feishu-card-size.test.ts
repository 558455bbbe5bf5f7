/**
 * Feishu refuses cards over 30 KB with 230025 (https://open.feishu.cn/document/server-docs/im-v1/message/create);
 * the fake does the same. A chat of 2,000 members with long names must still get its card, with the counts and
 * the first names, on the first post, in the callback answer and in the patch of everyone's copy.
 */
import { CARD_MAX_BYTES } from '../fakes/feishu';
import { eventually } from '../helpers/harness';
import { SECRETARY, cardTally, cardValues, feishuWorld, isCard, type FeishuWorld } from './support';

const BIG = 'oc_bigbranch000000000000000000001';
const MEMBER_COUNT = 2000;
const longName = (i: number): string => `第${i}号党员${'很长很长的名字'.repeat(4)}`;
const memberId = (i: number): string => `ou_big${String(i).padStart(26, '0')}`;

/** The bytes a card takes as the escaped `content` string of a request body, as Feishu counts them. */
const wireBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8');

/** The plain-text lines of a rendered card. */
const lines = (card: unknown): string[] => {
  const els = (card as { body?: { elements?: { text?: { content?: unknown } }[] } }).body?.elements ?? [];
  return els.map((e) => e.text?.content).filter((c): c is string => typeof c === 'string');
};

describe('Feishu card size', () => {
  let w: FeishuWorld;
  beforeAll(async () => {
    w = await feishuWorld();
    const members = [{ open_id: SECRETARY, name: '王建国' }, ...Array.from({ length: MEMBER_COUNT - 1 }, (_, i) => ({ open_id: memberId(i + 1), name: longName(i + 1) }))];
    w.fake.addChat({ chatId: BIG, name: '大支部', ownerId: SECRETARY, managers: [], members });
  });
  afterAll(async () => {
    await w.stop();
  });

  it('should post a card under 30 KB showing the counts and the first names when the roster has 2,000 long names', async () => {
    const names = Array.from({ length: MEMBER_COUNT - 1 }, (_, i) => longName(i + 1)).join('、');
    expect(Buffer.byteLength(names)).toBeGreaterThan(4 * CARD_MAX_BYTES);
    await w.say(SECRETARY, '会议 支部大会 明天下午3点', { chatId: BIG });
    const card = await w.waitFor((m) => isCard(m) && m.chatId === BIG, 'the duty card', 20000);
    expect(wireBytes(card.content)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    // The organizer (SECRETARY) attends unless they answer otherwise (issue 17).
    expect(cardTally(card.content)).toBe(`参加 1 · 请假 0 · 未回复 ${MEMBER_COUNT - 1}`);
    const pending = lines(card.content).find((l) => l.startsWith('未回复'));
    expect(pending).toMatch(new RegExp(`^未回复（${MEMBER_COUNT - 1} 人）：第\\d+号党员很长.*等 ${MEMBER_COUNT - 1} 人$`));
    expect(w.fake.calls.filter((c) => c.status === 400 && JSON.stringify(c.response).includes('230025'))).toEqual([]);

    const [attend] = cardValues(card.content);
    const res = await w.click(memberId(7), card.messageId, attend, undefined, BIG);
    const answer = res.json as { toast: { type: string }; card: { data: unknown } };
    expect(answer.toast.type).toBe('success');
    expect(wireBytes(answer.card.data)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(cardTally(answer.card.data)).toBe(`参加 2 · 请假 0 · 未回复 ${MEMBER_COUNT - 2}`);
    expect(lines(answer.card.data).find((l) => l.startsWith('参加（2 人）：'))).toContain(longName(7).slice(0, 24));
    await eventually(async () => w.fake.message(card.messageId)?.patches.some((p) => cardTally(p) === `参加 2 · 请假 0 · 未回复 ${MEMBER_COUNT - 2}`), 8000, 'the patch');
  }, 40000);

  it('should keep every name on the card when they fit', async () => {
    await w.say(SECRETARY, '会议 支委会 后天下午3点');
    const card = await w.waitFor((m) => isCard(m) && m.chatId !== BIG, 'the small chat card');
    const pending = lines(card.content).find((l) => l.startsWith('未回复'));
    // Everyone but the organizer 王建国, who attends unless they answer otherwise (issue 17).
    expect(pending?.replace('未回复：', '').split('、').sort()).toEqual(['李明', '张丽', '刘洋', '陈静', '赵磊'].sort());
    expect(lines(card.content)).toContain('参加：王建国');
  });

  it('should stay under 30 KB with every option at its longest (issue 14) in the chat of 2,000 long names', async () => {
    const agenda = '研究发展党员工作'.repeat(37).slice(0, 300);
    const place = '机关大楼'.repeat(20);
    const notes = '请带党员证'.repeat(40);
    const link = `https://example.cn/${'a'.repeat(470)}`;
    await w.say(SECRETARY, `会议 支部委员会扩大会 后天下午3点 地点 ${place} 时长 3小时 议题 ${agenda} 类别 支委会 签到码 开 链接 ${link} 备注 ${notes}`, { chatId: BIG });
    const card = await w.waitFor((m) => isCard(m) && m.chatId === BIG && JSON.stringify(m.content).includes('支部委员会扩大会'), 'the card with every option', 20000);
    expect(wireBytes(card.content)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(lines(card.content).join('\n')).toContain(agenda);
    expect(cardTally(card.content)).toBe(`参加 1 · 请假 0 · 未回复 ${MEMBER_COUNT - 1}`);
  }, 40000);
});
