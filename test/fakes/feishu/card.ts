import { fail, isRecord, type Reply } from './types';

/**
 * 230025 "The message exceeds the maximum length": 文本消息请求体最大不能超过 150KB；卡片及富文本消息请求体最大不能超过
 * 30KB (https://open.feishu.cn/document/server-docs/im-v1/message/create, error code table; the same for patch,
 * https://open.feishu.cn/document/server-docs/im-v1/message-card/patch). The limit is on the request body, where
 * the content travels as an escaped JSON string: that is what we measure.
 */
export const CARD_MAX_BYTES = 30 * 1024;
export const TEXT_MAX_BYTES = 150 * 1024;

export type ContentCheck = { ok: true; parsed: unknown } | { ok: false; reply: Reply };

const invalidCard = (why: string): ContentCheck => ({
  ok: false,
  reply: fail(230099, `Failed to create card content, ext=ErrCode: 200621; ErrMsg: ${why}`),
});
const invalidParam = (why: string): ContentCheck => ({
  ok: false,
  reply: fail(230001, `Your request contains an invalid request parameter, ext=${why}`),
});

function hasTag(node: unknown, tag: string): boolean {
  if (Array.isArray(node)) return node.some((n) => hasTag(n, tag));
  if (!isRecord(node)) return false;
  if (node.tag === tag) return true;
  return Object.values(node).some((v) => hasTag(v, tag));
}

/** A template or card-entity reference instead of an inline card. */
function isReference(card: Record<string, unknown>): boolean {
  return card.type === 'template' || card.type === 'card';
}

function checkCard(card: unknown): ContentCheck {
  if (!isRecord(card)) return invalidCard('card must be a JSON object');
  if (card.type === 'template') {
    const data = card.data;
    return isRecord(data) && typeof data.template_id === 'string'
      ? { ok: true, parsed: card }
      : invalidCard('template card needs data.template_id');
  }
  if (card.type === 'card') {
    const data = card.data;
    return isRecord(data) && typeof data.card_id === 'string'
      ? { ok: true, parsed: card }
      : invalidCard('card entity needs data.card_id');
  }
  if (card.schema === '2.0') {
    const body = card.body;
    if (!isRecord(body) || !Array.isArray(body.elements)) return invalidCard('schema 2.0 card needs body.elements');
    if (hasTag(card, 'action')) return invalidCard('unsupported tag action');
    if (body.elements.length > 200) return invalidCard('too many elements');
    return { ok: true, parsed: card };
  }
  if (card.schema !== undefined) return invalidCard(`unknown schema ${JSON.stringify(card.schema)}`);
  if (!Array.isArray(card.elements) && !isRecord(card.i18n_elements)) {
    return invalidCard('card needs elements or i18n_elements');
  }
  return { ok: true, parsed: card };
}

/** Validates a message's `content` string for its msg_type, as the create/reply/patch endpoints do. */
export function checkContent(msgType: string, content: unknown): ContentCheck {
  if (typeof content !== 'string') return invalidParam('content must be a string');
  const limit = msgType === 'text' ? TEXT_MAX_BYTES : CARD_MAX_BYTES;
  if (Buffer.byteLength(JSON.stringify(content), 'utf8') > limit) {
    return { ok: false, reply: fail(230025, 'The message exceeds the maximum length.') };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return invalidParam('content is not valid JSON');
  }
  if (msgType === 'interactive') return checkCard(parsed);
  if (msgType === 'text') {
    return isRecord(parsed) && typeof parsed.text === 'string'
      ? { ok: true, parsed }
      : invalidParam('text content needs a string field text');
  }
  if (!isRecord(parsed)) return invalidParam('content must be a JSON object');
  return { ok: true, parsed };
}

/**
 * Whether the card may be updated by patch: JSON 1.0 needs `config.update_multi: true`;
 * JSON 2.0 only supports shared cards, so a missing flag counts as true (an explicit false does not).
 * Template and card-entity references cannot be inspected and count as shared.
 */
export function isSharedCard(card: unknown): boolean {
  if (!isRecord(card)) return false;
  if (isReference(card)) return true;
  const multi = isRecord(card.config) ? card.config.update_multi : undefined;
  return card.schema === '2.0' ? multi !== false : multi === true;
}
