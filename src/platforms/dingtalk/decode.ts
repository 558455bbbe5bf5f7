import { z } from 'zod';
import type { Member } from '../../domain/types';
import type { InboundMessage } from '../port';
import { robotFilesOf, type RobotFile } from './file-message';
import type { Session } from './state';

/**
 * DingTalk payloads, the same in HTTP mode (the POST body) and Stream mode (the frame's `data`), checked with zod.
 * Robot message: https://open.dingtalk.com/document/dingstart/robot-receive-message (HTTP examples put the text
 * in a top-level `content`, Stream ones in `text.content`: both are read). Card callback:
 * https://open.dingtalk.com/document/development/event-callback-card (`content` is a JSON string).
 */

/**
 * An optional field is read leniently: its documented type, or the same value written another way (the field
 * tables type `createAt` as String while every example sends a number:
 * https://open.dingtalk.com/document/development/receive-message, .../robot-message-type), and otherwise taken as
 * absent. A field we can do without is never a reason to drop the message; only `msgId` and `conversationId` are.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = z.union([z.string(), z.number().transform(String)]);
const millis = z.union([z.number().finite(), z.string().trim().regex(/^\d{1,16}$/).transform(Number)]);
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const atUser = z.object({ dingtalkId: optional(text), staffId: optional(text) }).passthrough();
/** The entries of `atUsers` that are objects; others are skipped. */
const atUsers = z.array(z.unknown()).transform((xs) =>
  xs.flatMap((x) => {
    const r = atUser.safeParse(x);
    return r.success ? [r.data] : [];
  }),
);

export const robotMessageSchema = z
  .object({
    msgId: z.string().min(1).max(200),
    msgtype: optional(z.string()),
    text: optional(z.object({ content: z.string() }).passthrough()),
    content: z.unknown().optional(),
    conversationId: z.string().min(1).max(200),
    conversationType: optional(text),
    conversationTitle: optional(z.string()),
    senderStaffId: optional(text),
    senderId: optional(text),
    senderNick: optional(text),
    isAdmin: optional(flag),
    chatbotUserId: optional(text),
    robotCode: optional(z.string()),
    atUsers: optional(atUsers),
    sessionWebhook: optional(z.string()),
    sessionWebhookExpiredTime: optional(millis),
    createAt: optional(millis),
    errorCode: optional(z.union([z.string(), z.number()])),
  })
  .passthrough();
export type RobotMessage = z.infer<typeof robotMessageSchema>;

export interface DecodedMessage {
  readonly message: InboundMessage;
  readonly session?: Session;
  readonly isAdmin?: boolean;
  readonly title?: string;
  /** In a one-to-one conversation (`conversationType` "1"), the user it is with: where the bot writes back. */
  readonly directUser?: string;
  /** Names learnt from the message: the sender's nick, and @-mentioned people named in the text. */
  readonly names: readonly (readonly [string, string])[];
  /** The files and pictures it carries (file-message.ts): handed to the materials, the text (a caption) unread. */
  readonly files: readonly RobotFile[];
}

export type DecodeOutcome = { readonly ok: true; readonly decoded: DecodedMessage } | { readonly ok: false; readonly reason: string };

const richTextItem = z.object({ text: z.string() }).passthrough();

/** The text of a text or richText message; undefined for pictures, files and the like. */
function textOf(m: RobotMessage): string | undefined {
  if (m.text) return m.text.content;
  if (typeof m.content === 'string') return m.content;
  const rich = z.object({ richText: z.array(z.unknown()) }).safeParse(m.content);
  if (!rich.success) return undefined;
  return rich.data.richText.map((item) => richTextItem.safeParse(item)).map((r) => (r.success ? r.data.text : '')).join('');
}

export interface DecodeOptions {
  readonly botName: string;
  readonly robotCode: string;
  readonly receivedAt: number;
  /**
   * Whether the payload's `isAdmin` can be believed: true for Stream frames (an authenticated connection), false
   * for HTTP bodies, which no signature covers. An unbelieved isAdmin is dropped here, before anything reads it.
   */
  readonly trustIsAdmin: boolean;
}

/** A message's `createAt` in ms, read as leniently as the schema reads it; undefined when absent or unreadable. */
export function createAtOf(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const r = millis.safeParse((payload as Record<string, unknown>).createAt);
  return r.success ? r.data : undefined;
}

/**
 * Decode a robot message. DingTalk removes the bot's own mention from the text; other mentions stay as `@名字`
 * and come in `atUsers` (the bot there has no staffId). Their names are read from the text in order.
 */
export function decodeRobotMessage(payload: unknown, opts: DecodeOptions): DecodeOutcome {
  const parsed = robotMessageSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: 'not a robot message' };
  const m = parsed.data;
  // The org's Webhook&Stream quota is used up: the message comes without its text (https://open.dingtalk.com/document/development/receive-message).
  if (m.errorCode !== undefined) return { ok: false, reason: `quota exhausted (errorCode ${String(m.errorCode)})` };
  if (m.robotCode && m.robotCode !== opts.robotCode) return { ok: false, reason: 'another robot' };
  const files = robotFilesOf(m.msgtype, m.content);
  const raw = files.length > 0 ? '' : textOf(m);
  if (raw === undefined) return { ok: false, reason: `unsupported msgtype ${m.msgtype ?? '?'}` };
  const senderId = m.senderStaffId || m.senderId;
  if (!senderId) return { ok: false, reason: 'no sender' };
  const text = raw.replace(new RegExp(`^\\s*@${escapeRe(opts.botName)}\\s*`), '').replace(/\s+/g, ' ').trim();
  const others = (m.atUsers ?? []).filter((u): u is typeof u & { staffId: string } => Boolean(u.staffId) && u.dingtalkId !== m.chatbotUserId);
  const named = [...text.matchAll(/@([^\s@]+)/g)].map((x) => x[1] ?? '').filter((n) => n !== opts.botName);
  const mentions: Pick<Member, 'id' | 'name'>[] = others.map((u, i) => ({
    id: u.staffId,
    name: named.length === others.length ? (named[i] ?? u.staffId) : u.staffId,
  }));
  const direct = m.conversationType === '1';
  const isAdmin = opts.trustIsAdmin ? m.isAdmin : undefined;
  const sender: Member = { id: senderId, name: m.senderNick ?? '', ...(isAdmin ? { platformRole: 'admin' as const } : {}) };
  const session =
    m.sessionWebhook && m.sessionWebhookExpiredTime ? { url: m.sessionWebhook, expiresAt: m.sessionWebhookExpiredTime } : undefined;
  const names: [string, string][] = mentions.filter((x) => x.name !== x.id).map((x) => [x.id, x.name]);
  if (m.senderNick) names.push([senderId, m.senderNick]);
  return {
    ok: true,
    decoded: {
      message: {
        kind: 'message',
        chat: { platform: 'dingtalk', chatId: m.conversationId },
        messageId: m.msgId,
        sender,
        text,
        mentions,
        direct,
        receivedAt: opts.receivedAt,
      },
      ...(session ? { session } : {}),
      ...(isAdmin !== undefined ? { isAdmin } : {}),
      ...(m.conversationTitle ? { title: m.conversationTitle } : {}),
      ...(direct && m.senderStaffId ? { directUser: m.senderStaffId } : {}),
      names,
      files,
    },
  };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const cardCallbackSchema = z
  .object({
    outTrackId: z.string().min(1).max(200),
    userId: z.string().min(1).max(200),
    content: z.string().optional(),
    spaceType: z.string().optional(),
    spaceId: z.string().optional(),
  })
  .passthrough();

const contentSchema = z.object({ cardPrivateData: z.object({ params: z.record(z.string(), z.unknown()).optional() }).passthrough() }).passthrough();

export interface DecodedCallback {
  readonly outTrackId: string;
  readonly userId: string;
  /** The button's CardValue, decoded from its JSON string; still unchecked (the dispatcher checks it). */
  readonly value: unknown;
  readonly reason?: string;
  /** The group, when DingTalk names it (not documented; seen by community bots). */
  readonly groupId?: string;
}

export function decodeCardCallback(payload: unknown): DecodedCallback | undefined {
  const parsed = cardCallbackSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const cb = parsed.data;
  let params: Record<string, unknown>;
  try {
    const content = contentSchema.safeParse(cb.content ? JSON.parse(cb.content) : {});
    params = content.success ? (content.data.cardPrivateData.params ?? {}) : {};
  } catch {
    params = {};
  }
  let value: unknown = params.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = undefined;
    }
  }
  const reason = typeof params.reason === 'string' ? params.reason.slice(0, 500) : undefined;
  return {
    outTrackId: cb.outTrackId,
    userId: cb.userId,
    value,
    ...(reason ? { reason } : {}),
    ...(cb.spaceType === 'IM_GROUP' && cb.spaceId ? { groupId: cb.spaceId } : {}),
  };
}
