import { z } from 'zod';

/** What the console posts. Every body is checked; anything else gets 400 and changes nothing. */
export const postMessageSchema = z
  .object({
    chatId: z.string().min(1).max(64),
    senderId: z.string().min(1).max(64),
    text: z.string().trim().min(1, '消息不能为空').max(2000, '消息太长了（最多 2000 字）'),
  })
  .strict();

export const postActionSchema = z
  .object({
    chatId: z.string().min(1).max(64),
    messageId: z.string().min(1).max(64),
    actorId: z.string().min(1).max(64),
    value: z.unknown(),
    form: z.record(z.string(), z.string().max(500)).optional(),
  })
  .strict();

const LIMIT_MESSAGE = '「limit」应是 1 到 200 的整数';

/** GET /sandbox/api/messages: a page of a chat's history, `limit` messages before message `before` (or the latest). */
export const historyQuerySchema = z.object({
  chat: z.string({ error: '请写上群编号（chat）' }).min(1, '请写上群编号（chat）').max(64, '群编号太长了'),
  before: z
    .string({ error: '「before」应是一条消息的编号，例如 m42' })
    .regex(/^m\d{1,15}$/, '「before」应是一条消息的编号，例如 m42')
    .optional(),
  limit: z.coerce.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(200, LIMIT_MESSAGE).default(50),
  /** The member the console speaks as: shown the messages meant for them only (receiver.ts). */
  member: z.string().max(64).optional(),
});

export type PostMessage = z.infer<typeof postMessageSchema>;
export type PostAction = z.infer<typeof postActionSchema>;

/**
 * A group message is a command only when it mentions the bot: `@落实 会议 …` (or `＠落实`). The mention is stripped.
 * Returns undefined for ordinary chat.
 */
export function commandText(text: string, botName: string): string | undefined {
  const trimmed = text.trim();
  // `＠` is the at sign a Chinese input method types (issue 12).
  const found = [`@${botName}`, `＠${botName}`].map((mention) => ({ mention, at: trimmed.indexOf(mention) })).find((m) => m.at >= 0);
  if (!found) return undefined;
  return (trimmed.slice(0, found.at) + trimmed.slice(found.at + found.mention.length)).replace(/\s+/g, ' ').trim();
}
