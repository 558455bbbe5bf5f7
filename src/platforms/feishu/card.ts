import type { CardColor, CardGroup, CardModel } from '../../domain/card-model';

/**
 * Render the neutral card as a Feishu card, JSON 2.0 with `update_multi: true` so a patch or a callback answer
 * updates it for everyone (https://open.feishu.cn/document/feishu-cards/card-json-v2-structure).
 * Everything a user wrote (title, place, names, reasons) goes into `plain_text`, never into markdown, so a title
 * like `<at user_id="all"></at>` or `[x](http://…)` shows as text and mentions or links nobody.
 * JSON 2.0 has no `action` container: buttons sit in a column_set; 请假 is a form with a reason input.
 */

export type FeishuCard = Record<string, unknown>;

const TEMPLATE: Record<CardColor, string> = { blue: 'blue', green: 'green', orange: 'orange', red: 'red', grey: 'grey', purple: 'purple' };

const plain = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  tag: 'div',
  text: { tag: 'plain_text', content, ...extra },
});

/**
 * Feishu refuses a card whose request body is over 30 KB with 230025 "The message exceeds the maximum length"
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create: 卡片及富文本消息请求体最大不能超过 30KB;
 * the same limit for patch, https://open.feishu.cn/document/server-docs/im-v1/message-card/patch). We budget the
 * card as it travels: JSON-escaped inside the request body, with room left for receive_id, msg_type and uuid.
 */
export const FEISHU_CARD_MAX_BYTES = 30 * 1024;
const CARD_BUDGET_BYTES = FEISHU_CARD_MAX_BYTES - 2 * 1024;

/** Bytes the card takes as the `content` string of a request body (escaped JSON inside JSON). */
export const cardWireBytes = (card: FeishuCard): number => Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8');

/** Every UTF-16 unit of the card's JSON takes at most 3 bytes on the wire, escaped or not: a cheap sure fit first. */
const fits = (card: FeishuCard): boolean => JSON.stringify(card).length * 3 <= CARD_BUDGET_BYTES || cardWireBytes(card) <= CARD_BUDGET_BYTES;

/** Names shown per group once a card must shrink: the first few, then the count (the tally line has them all). */
const SHRINK_STEPS = [200, 100, 50, 20, 10, 5, 0] as const;
const SHORT_NAME = 24;
const SHORT_NOTE = 20;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

type Entry = CardModel['groups'][number]['entries'][number];

function groupLine(label: string, entries: readonly Entry[], shown?: number): string {
  const entry = (e: Entry, short: boolean): string => {
    const name = short ? clip(e.name, SHORT_NAME) : e.name;
    return e.note ? `${name}（${short ? clip(e.note, SHORT_NOTE) : e.note}）` : name;
  };
  if (shown === undefined) return `${label}：${entries.map((e) => entry(e, false)).join('、') || '无'}`;
  if (entries.length === 0) return `${label}：无`;
  const first = entries.slice(0, shown).map((e) => entry(e, true));
  if (first.length === entries.length) return `${label}（${entries.length} 人）：${first.join('、')}`;
  return first.length === 0 ? `${label}：${entries.length} 人` : `${label}（${entries.length} 人）：${first.join('、')} 等 ${entries.length} 人`;
}

/** A group of rows (通报's units): its label, then one entry a line; shrunk, the first rows and how many more. */
function rowsLine({ label, entries, total }: CardGroup, shown?: number): string {
  if (entries.length === 0) return `${label}：无`;
  const row = (e: Entry): string => (e.note ? `${e.name}：${e.note}` : e.name);
  const first = entries.slice(0, shown ?? entries.length).map(row);
  const rest = Math.max(total ?? 0, entries.length) - first.length;
  return [`${label}：`, ...first, ...(rest > 0 ? [`…另有 ${rest} 项未列出`] : [])].join('\n');
}

/**
 * The card, within Feishu's size limit: with every name when it fits, else each group collapses to its count and
 * its first names (fewer and fewer until it fits), rather than the send failing with 230025.
 */
export function renderFeishuCard(card: CardModel): FeishuCard {
  const full = renderWith(card);
  if (fits(full)) return full;
  let smallest = full;
  for (const shown of SHRINK_STEPS) {
    smallest = renderWith(card, shown);
    if (fits(smallest)) return smallest;
  }
  return smallest;
}

function renderWith(card: CardModel, shown?: number): FeishuCard {
  const elements: Record<string, unknown>[] = [];
  if (card.banner) elements.push(plain(card.banner, { text_color: 'red', text_size: 'heading' }));
  for (const f of card.fields) {
    if (f.href) {
      elements.push({
        tag: 'button',
        text: { tag: 'plain_text', content: `${f.label}：打开` },
        type: 'default',
        size: 'small',
        behaviors: [{ type: 'open_url', default_url: f.href }],
      });
    } else {
      elements.push(plain(`${f.label}：${f.value}`));
    }
  }
  elements.push({ tag: 'hr' });
  // The tally is built from digits and our own words only, so markdown is safe here.
  elements.push({ tag: 'markdown', content: `**${card.tally}**`, element_id: 'tally' });
  for (const g of card.groups) elements.push(plain(g.rows ? rowsLine(g, shown) : groupLine(g.label, g.entries, shown), { text_size: 'notation' }));
  const plainButtons = card.buttons.filter((b) => !b.reasonPrompt);
  const formButtons = card.buttons.filter((b) => b.reasonPrompt);
  if (plainButtons.length > 0) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      columns: plainButtons.map((b) => ({
        tag: 'column',
        width: 'auto',
        elements: [
          { tag: 'button', text: { tag: 'plain_text', content: b.label }, type: b.style, behaviors: [{ type: 'callback', value: b.value }] },
        ],
      })),
    });
  }
  for (const b of formButtons) {
    elements.push({
      tag: 'form',
      name: `form_${b.value.act}`,
      elements: [
        { tag: 'input', name: 'reason', placeholder: { tag: 'plain_text', content: b.reasonPrompt ?? '' }, max_length: 200 },
        {
          tag: 'button',
          name: `submit_${b.value.act}`,
          text: { tag: 'plain_text', content: b.label },
          type: b.style,
          form_action_type: 'submit',
          behaviors: [{ type: 'callback', value: b.value }],
        },
      ],
    });
  }
  elements.push(plain(card.footer, { text_size: 'notation', text_color: 'grey' }));
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: card.header.title } },
    header: {
      template: TEMPLATE[card.header.color],
      title: { tag: 'plain_text', content: card.header.title },
      subtitle: { tag: 'plain_text', content: card.header.subtitle },
    },
    body: { elements },
  };
}
