import { z } from 'zod';

/**
 * Feishu payloads as the SDK's EventDispatcher hands them to handlers: header fields and event fields flattened
 * into one object (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive). Checked with zod;
 * anything else is refused without touching the store.
 */

const openId = z.object({ open_id: z.string().min(1) }).passthrough();

export const messageEventSchema = z
  .object({
    event_id: z.string().optional(),
    sender: z.object({ sender_id: openId, sender_type: z.string().optional() }).passthrough(),
    message: z
      .object({
        message_id: z.string().min(1),
        /** When the message was sent (ms, as a string). */
        create_time: z.string().optional(),
        chat_id: z.string().min(1),
        chat_type: z.string(),
        message_type: z.string(),
        content: z.string(),
        // `@所有人` comes as key `@_all` with an empty id ({}) and no open_id: a mention like any other, that names nobody
        // (larksuite/node-sdk channel/normalize/mentions.ts `isMentionAll`).
        mentions: z
          .array(
            z
              .object({ key: z.string().min(1), id: z.object({ open_id: z.string().optional() }).passthrough().optional(), name: z.string().optional() })
              .passthrough(),
          )
          .optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const cardActionSchema = z
  .object({
    event_id: z.string().optional(),
    /** The header's create_time: when the member clicked (µs, as a string). */
    create_time: z.string().optional(),
    operator: openId,
    action: z
      .object({
        value: z.unknown(),
        tag: z.string().optional(),
        form_value: z.record(z.string(), z.unknown()).optional(),
        input_value: z.string().optional(),
      })
      .passthrough(),
    context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }).passthrough(),
  })
  .passthrough();
export type CardActionEvent = z.infer<typeof cardActionSchema>;

export const memberEventSchema = z
  .object({
    event_id: z.string().optional(),
    chat_id: z.string().min(1),
  })
  .passthrough();

/** A mention as the receiver judges it: whose open_id (none for `@所有人`) and the name the sender's client showed. */
export interface MentionSeen {
  readonly openId?: string;
  readonly name: string;
}

const postSchema = z
  .object({
    title: z.string().optional(),
    content: z.array(z.array(z.object({ tag: z.string(), text: z.string().optional(), user_id: z.string().optional() }).passthrough())),
  })
  .passthrough();

/**
 * The text of a rich-text (`post`) message, its @-mentions as the `@_user_N` keys that `mentions[]` maps, one line
 * per paragraph. Received post content is `{ title, content: [[{ tag, … }]] }`, sometimes under a locale key
 * (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content#post; the SDK reads
 * both: larksuite/node-sdk channel/normalize/converters/post.ts).
 */
function postText(parsed: unknown, mentions: MessageEvent['message']['mentions']): string | undefined {
  const direct = postSchema.safeParse(parsed);
  const body = direct.success
    ? direct.data
    : typeof parsed === 'object' && parsed !== null
      ? Object.values(parsed).map((v) => postSchema.safeParse(v)).find((r) => r.success)?.data
      : undefined;
  if (!body) return undefined;
  const keyOf = (userId: string): string => mentions?.find((m) => m.key === userId || m.id?.open_id === userId)?.key ?? (userId === 'all' ? '@_all' : '');
  return body.content
    .map((paragraph) => paragraph.map((el) => (el.tag === 'at' ? ` ${keyOf(el.user_id ?? '')} ` : el.tag === 'text' || el.tag === 'a' ? (el.text ?? '') : '')).join(''))
    .join('\n');
}

/** A mention's placeholder, not the start of a longer one (`@_user_1` is not in `@_user_10`). */
const placeholder = (key: string): RegExp => new RegExp(`${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_])`, 'g');

/**
 * The text of a text or rich-text message with the bot's mention removed, `@所有人` ignored (removed, it names
 * nobody) and other mentions written as `@name`. `isBot` decides which mention is the bot (by open_id).
 */
export function decodeText(
  event: MessageEvent,
  isBot: (mention: MentionSeen) => boolean,
): { text: string; mentionsBot: boolean; mentions: { id: string; name: string }[] } | undefined {
  const type = event.message.message_type;
  if (type !== 'text' && type !== 'post') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.message.content);
  } catch {
    return undefined;
  }
  let text: string | undefined;
  if (type === 'text') {
    const raw = textContentSchema.safeParse(parsed);
    text = raw.success ? raw.data.text : undefined;
  } else {
    text = postText(parsed, event.message.mentions);
  }
  if (text === undefined) return undefined;
  let mentionsBot = false;
  const mentions: { id: string; name: string }[] = [];
  for (const m of event.message.mentions ?? []) {
    const openId = m.id?.open_id || undefined;
    const name = m.name ?? '';
    let replacement = ' ';
    if (openId === undefined) {
      // @所有人 (key @_all) or a mention without an id: accepted, and it counts for nobody.
    } else if (isBot({ openId, name })) {
      mentionsBot = true;
    } else {
      mentions.push({ id: openId, name });
      replacement = `@${name}`;
    }
    text = text.replace(placeholder(m.key), replacement);
  }
  // `@_all` written in the text without a mentions[] entry (Feishu may omit it): ignored too.
  text = text.replace(placeholder('@_all'), ' ');
  return { text: text.replace(/\s+/g, ' ').trim(), mentionsBot, mentions };
}

/** Built once: building a zod schema per request cost about a quarter of a millisecond (bench:callback). */
/** The content of a `text` message (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content). */
const textContentSchema = z.object({ text: z.string() });
const tokenSchema = z.object({ header: z.object({ token: z.string() }).partial().optional(), token: z.string().optional() }).passthrough();

/** The verification token inside a decrypted body: `header.token` (schema 2.0) or `token` (1.0, challenge). */
export function bodyToken(body: unknown): string | undefined {
  const parsed = tokenSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.header?.token ?? parsed.data.token;
}
