import { createHash } from 'node:crypto';
import type { CardButton, CardModel } from '../../domain/card-model';
import type { ActionResult } from '../port';

/**
 * Render the neutral card for DingTalk, two ways:
 * - template data: the `cardParamMap` of our card template (docs/dingtalk/README.md). Every value is a
 *   string ≤ 1 KB (https://open.dingtalk.com/document/development/instructions-for-filling-in-api-card-data);
 *   a button's typed CardValue travels as a JSON string and comes back in the callback's `params.value`.
 * - markdown: the `sampleMarkdown` message used without a template, answered by text commands.
 * Everything a user wrote goes through `escapeMd`, so a title cannot add links, headings or @-mentions.
 */

export const MAX_VALUE_BYTES = 1000;
export type CardParamMap = Record<string, string>;

const FULL_WIDTH: Record<string, string> = {
  '[': '［', ']': '］', '(': '（', ')': '）', '*': '＊', _: '＿', '`': '｀', '<': '＜', '>': '＞', '@': '＠', '|': '｜', '~': '～', '#': '＃', '!': '！',
};

/** Markup characters in user text become their full-width look-alikes: shown, never interpreted. */
export const escapeMd = (s: string): string => s.replace(/[[\]()*_`<>@|~#!]/g, (c) => FULL_WIDTH[c] ?? c).replace(/\n+/g, ' ');

/** Cut a string to at most `max` UTF-8 bytes, marking the cut. */
export function fitBytes(s: string, max = MAX_VALUE_BYTES): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max - 4) break;
    out += ch;
  }
  return `${out}…`;
}

const safeHref = (href: string): string => href.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));

function fieldLines(card: CardModel): string[] {
  return card.fields.map((f) => (f.href ? `**${f.label}**：[打开](${safeHref(f.href)})` : `**${f.label}**：${escapeMd(f.value)}`));
}

function groupLines(card: CardModel, shown?: number): string[] {
  return card.groups.map((g) => {
    if (g.rows && g.entries.length > 0) {
      // One entry a paragraph (通报's units); cut, the first rows and how many more (never a row cut in half).
      const first = g.entries.slice(0, shown ?? g.entries.length).map((e) => escapeMd(e.note ? `${e.name}：${e.note}` : e.name));
      const rest = Math.max(g.total ?? 0, g.entries.length) - first.length;
      return [`${g.label}：`, ...first, ...(rest > 0 ? [`…另有 ${rest} 项未列出`] : [])].join('\n\n');
    }
    const names = g.entries.map((e) => escapeMd(e.note ? `${e.name}（${e.note}）` : e.name)).join('、') || '无';
    return `${g.label}：${names}`;
  });
}

/** The template's `groups` value within MAX_VALUE_BYTES: groups of rows drop whole rows until it fits. */
function fittedGroups(card: CardModel): string {
  const most = Math.max(0, ...card.groups.filter((g) => g.rows).map((g) => g.entries.length));
  for (let shown = most; shown > 0; shown--) {
    const text = groupLines(card, shown).join('\n\n');
    if (Buffer.byteLength(text) <= MAX_VALUE_BYTES) return text;
  }
  return groupLines(card, most > 0 ? 0 : undefined).join('\n\n');
}

/** Buttons that have a text doing the same (附件 #7): `**label**：回复「附件 ＃7」`, for where they cannot be buttons. */
function commandLines(buttons: readonly CardButton[]): string[] {
  return buttons.flatMap((b) => (b.command ? [`**${escapeMd(b.label)}**：回复「${escapeMd(b.command)}」`] : []));
}

/** The footer mixes our words and user names; only a leading `#` would turn it into a heading. */
const footerLine = (card: CardModel): string => escapeMd(card.footer);

function buttonData(n: 1 | 2, b: CardButton | undefined): CardParamMap {
  return {
    [`btn${n}Show`]: b ? 'true' : 'false',
    [`btn${n}Label`]: b?.label ?? '',
    [`btn${n}Style`]: b?.style ?? 'default',
    [`btn${n}Value`]: b ? JSON.stringify(b.value) : '',
    [`btn${n}Reason`]: b?.reasonPrompt ? 'true' : 'false',
    [`btn${n}Prompt`]: b?.reasonPrompt ?? '',
  };
}

/**
 * The template has two button slots. A meeting's card has three in the half hour before its start (参加, 请假, 签到:
 * src/domain/duty-card.ts); the last two are shown, so 签到 takes the place of 参加 there (signing in says more
 * than 参加; `参加 #7` still works by text, as the footer says).
 */
export const templateButtons = (card: CardModel): readonly CardButton[] => {
  if (card.buttons.length <= 2) return card.buttons;
  // Other cards (a file's choice of duties: its first two are the likeliest) keep their first two.
  return card.buttons.some((b) => 'act' in b.value && b.value.act === 'signin') ? card.buttons.slice(-2) : card.buttons.slice(0, 2);
};

/** The template's variables (docs/dingtalk/README.md lists them; luoshi-duty-card.json declares them). */
export function renderCardData(card: CardModel): CardParamMap {
  const [first, second] = templateButtons(card);
  const data: CardParamMap = {
    // The conversation list's summary of the card (the examples' `summaryContent` variable).
    lastMessage: card.header.title,
    title: escapeMd(card.header.title),
    subtitle: escapeMd(card.header.subtitle),
    color: card.header.color,
    banner: card.banner ? escapeMd(card.banner) : '',
    // The template has two buttons: the others are listed with the text that does the same, when they have one.
    fields: [...fieldLines(card), ...commandLines(card.buttons.filter((b) => b !== first && b !== second))].join('\n\n'),
    tally: card.tally,
    groups: fittedGroups(card),
    footer: footerLine(card),
    notice: '',
    closed: card.buttons.length === 0 ? 'true' : 'false',
    ...buttonData(1, first),
    ...buttonData(2, second),
  };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, fitBytes(v)]));
}

/** A notice (a text with @-mentions) on the same template: only `notice` shows; `atUserIds` notifies. */
export function renderNoticeData(title: string, markdown: string): CardParamMap {
  const empty = renderCardData({ header: { title, subtitle: '', color: 'orange' }, fields: [], tally: '', groups: [], buttons: [], footer: '' });
  return { ...empty, notice: fitBytes(markdown) };
}

/** The whole card as one markdown message (`sampleMarkdown`: title, text). */
export function renderMarkdown(card: CardModel): { title: string; text: string } {
  const lines = [`### ${escapeMd(card.header.title)}`, escapeMd(card.header.subtitle)];
  if (card.banner) lines.push(`> ${escapeMd(card.banner)}`);
  lines.push(...fieldLines(card), ...commandLines(card.buttons), ...(card.tally ? [`**${card.tally}**`] : []), ...groupLines(card), footerLine(card));
  return { title: fitBytes(card.header.title, 200), text: fitBytes(lines.join('\n\n'), 12_000) };
}

/** Without a template a card cannot change: each change posts this tally message instead (rate-limited). */
export function renderTally(card: CardModel): { title: string; text: string } {
  const lines = [`#### 📊 最新统计 · ${escapeMd(card.header.title)} ${escapeMd(card.header.subtitle)}`];
  if (card.banner) lines.push(`> ${escapeMd(card.banner)}`);
  lines.push(`**${card.tally}**`, ...groupLines(card), footerLine(card));
  return { title: fitBytes(`${card.header.title} 最新统计`, 200), text: fitBytes(lines.join('\n\n'), 12_000) };
}

/** Which card a markdown update belongs to: the duty number in the subtitle (`#7 · 已取消`), else the title. */
export function cardKey(card: CardModel): string {
  const n = /#(\d+)/.exec(card.header.subtitle)?.[1];
  return n ? `n${n}` : `t${createHash('sha1').update(card.header.title).digest('hex').slice(0, 12)}`;
}

/**
 * The answer to a card callback (https://open.dingtalk.com/document/development/event-callback-card): the card's
 * new public data for everyone, and the clicker's private status line (DingTalk has no toast), merged by key.
 */
export function callbackAnswer(result: ActionResult): Record<string, unknown> {
  return {
    ...(result.card ? { cardData: { cardParamMap: renderCardData(result.card) } } : {}),
    userPrivateData: { cardParamMap: { myStatus: fitBytes(result.toast.text), myStatusKind: result.toast.kind } },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}
