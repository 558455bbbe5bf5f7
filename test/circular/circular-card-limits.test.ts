/**
 * The circular card of a large committee (40 branches, 25 falling short, long names) within each platform's limits:
 * Feishu's 30 KB request body (src/platforms/feishu/card.ts), DingTalk's template values of at most 1 KB and its
 * markdown message of 12,000 bytes (src/platforms/dingtalk/card.ts). Rows are dropped whole, never cut in half, the
 * short-fallers first, and the signed link always survives.
 */
import { REQUIREMENT_ROWS, type RequirementRow } from '../../schedules/compliance';
import type { ComplianceRow } from '../../src/domain/compliance';
import { AUTO_CIRCULAR_FOOTER, CARD_MAX_UNITS, circularCard, orderRows, type Circular, type CircularRow } from '../../src/domain/circular';
import { MAX_VALUE_BYTES, renderCardData, renderMarkdown } from '../../src/platforms/dingtalk/card';
import { cardWireBytes, FEISHU_CARD_MAX_BYTES, renderFeishuCard } from '../../src/platforms/feishu/card';

const URL = `https://luoshi.example.gov.cn/reports/feishu%3Aoc_c/circular?from=1793462400000&to=1796140799999&exp=1796745600000&sig=${'A'.repeat(43)}`;
const link = { url: URL, days: 7 };

function row(i: number, short: boolean): CircularRow {
  const name = `市财政局机关第${i + 1}党支部（预算编制与绩效管理处）`;
  const owes = (requirement: RequirementRow | undefined, held: number): ComplianceRow[] =>
    requirement ? [{ requirement, owes: 1, held, planned: 0, incomplete: 0, missing: 1 - held }] : [];
  const [zwh, ztdr] = REQUIREMENT_ROWS.filter((r) => r.period === 'month' && r.levels.includes('党支部'));
  const compliance = [...owes(zwh, short ? 0 : 1), ...owes(ztdr, short ? 0 : 1)];
  return {
    unit: { name, level: '党支部', parent: '市财政局机关党委', chat: `feishu:oc_${i}` },
    path: ['市财政局机关党委', name],
    chat: { platform: 'feishu', chatId: `oc_${i}` },
    compliance,
    missing: compliance.reduce((n, c) => n + c.missing, 0),
    attended: 20,
    expected: 30,
    reportsDue: 30,
    onTime: 25,
    late: 2,
    reportsMissing: short ? 3 : 0,
    pointsAverage: 3.5,
    ratings: [],
  };
}

const circular: Circular = {
  committee: { name: '市直机关工委', level: '工委' },
  size: 'month',
  period: { from: 1793462400000, to: 1796140799999, title: '2026年11月' },
  now: 1796745600000,
  rows: orderRows(Array.from({ length: 40 }, (_, i) => row(i, i % 8 < 5))),
};

describe('the circular card within the platforms’ limits', () => {
  const card = circularCard(circular, link, { auto: true });

  it('should list 30 units of 40, the 25 falling short first, ten of them named in the summary', () => {
    const entries = card.groups[0]?.entries ?? [];
    expect(entries).toHaveLength(CARD_MAX_UNITS);
    expect(card.groups[0]?.total).toBe(40);
    expect(entries.slice(0, 25).every((e) => e.name.startsWith('⚠️'))).toBe(true);
    expect(card.fields[0]?.value).toMatch(/^40 个，未达要求 25 个：(市财政局机关第\d+党支部（预算编制与绩效管理处）、){9}市财政局机关第\d+党支部（预算编制与绩效管理处） 等 25 个$/);
    expect(card.footer.startsWith(AUTO_CIRCULAR_FOOTER)).toBe(true);
  });

  it('should fit Feishu’s 30 KB with every row on its own line and the button to the page', () => {
    const feishu = renderFeishuCard(card);
    expect(cardWireBytes(feishu)).toBeLessThan(FEISHU_CARD_MAX_BYTES);
    const json = JSON.stringify(feishu);
    expect(json).toContain(JSON.stringify(URL));
    const rows = JSON.stringify(feishu).match(/各单位（未达要求的在前）：[^"]*/)?.[0].split('\\n') ?? [];
    expect(rows).toHaveLength(1 + CARD_MAX_UNITS + 1);
    expect(rows.at(-1)).toBe('…另有 10 项未列出');
  });

  it('should fit DingTalk’s template values of 1 KB by whole rows, short-fallers first, the link whole', () => {
    const data = renderCardData(card);
    for (const [key, value] of Object.entries(data)) expect([key, Buffer.byteLength(value) <= MAX_VALUE_BYTES]).toEqual([key, true]);
    expect(data.fields).toContain(`[打开](${URL})`);
    const paragraphs = data.groups?.split('\n\n') ?? [];
    expect(paragraphs[0]).toBe('各单位（未达要求的在前）：');
    const shown = paragraphs.slice(1, -1);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((p) => /^⚠️ 市财政局机关党委 › 市财政局机关第\d+党支部（预算编制与绩效管理处）：.*人均积分 3\.5$/.test(p))).toBe(true);
    expect(paragraphs.at(-1)).toBe(`…另有 ${40 - shown.length} 项未列出`);
  });

  it('should fit DingTalk’s markdown message (no template) with every row of the card and the footer', () => {
    const { text } = renderMarkdown(card);
    expect(text).toContain('…另有 10 项未列出');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(12_000);
    expect(text).toContain(`[打开](${URL})`);
    expect(text.endsWith('出勤率 = 实到 ÷ 应出勤')).toBe(true);
  });
});
