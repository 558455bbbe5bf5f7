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
        chat_id: z.string().min(1),
        chat_type: z.string(),
        message_type: z.string(),
        content: z.string(),
        mentions: z.array(z.object({ key: z.string(), id: openId, name: z.string() }).passthrough()).optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const cardActionSchema = z
  .object({
    event_id: z.string().optional(),
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

/** The text of a text message with the bot's mention removed and other mentions written as `@name`. */
export function decodeText(
  event: MessageEvent,
  isBot: (mention: { id: string; name: string }) => boolean,
): { text: string; mentionsBot: boolean; mentions: { id: string; name: string }[] } | undefined {
  if (event.message.message_type !== 'text') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.message.content);
  } catch {
    return undefined;
  }
  const raw = z.object({ text: z.string() }).safeParse(parsed);
  if (!raw.success) return undefined;
  let text = raw.data.text;
  let mentionsBot = false;
  const mentions: { id: string; name: string }[] = [];
  for (const m of event.message.mentions ?? []) {
    const who = { id: m.id.open_id, name: m.name };
    if (isBot(who)) {
      mentionsBot = true;
      text = text.split(m.key).join(' ');
    } else {
      mentions.push(who);
      text = text.split(m.key).join(`@${m.name}`);
    }
  }
  return { text: text.replace(/\s+/g, ' ').trim(), mentionsBot, mentions };
}

/** Built once: building a zod schema per request cost about a quarter of a millisecond (bench:callback). */
const tokenSchema = z.object({ header: z.object({ token: z.string() }).partial().optional(), token: z.string().optional() }).passthrough();

/** The verification token inside a decrypted body: `header.token` (schema 2.0) or `token` (1.0, challenge). */
export function bodyToken(body: unknown): string | undefined {
  const parsed = tokenSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.header?.token ?? parsed.data.token;
}
