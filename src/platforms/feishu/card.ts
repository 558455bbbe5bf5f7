import type { CardColor, CardModel } from '../../domain/card-model';

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

export function renderFeishuCard(card: CardModel): FeishuCard {
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
  for (const g of card.groups) {
    const names = g.entries.map((e) => (e.note ? `${e.name}（${e.note}）` : e.name)).join('、') || '无';
    elements.push(plain(`${g.label}：${names}`, { text_size: 'notation' }));
  }
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
