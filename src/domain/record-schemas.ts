import { z } from 'zod';
import { CATEGORY_ROWS, type Category } from '../../schedules/categories';
import type { QuietHours } from './quiet-hours';
import type { Answer, ChatRef, Duty, HistoryEntry, Member, PlatformName } from './types';
import type { Assert, SameShape } from './same-shape';

/**
 * The zod schemas of the domain records the store writes as JSON (src/store/duty-repo.ts, chat-repo.ts), one per
 * record kind, each checked at compile time to describe its type in src/domain/types.ts exactly. The store parses
 * every record it reads back with them (src/store/records.ts). Built once, at module load: parsing is on the path
 * of every card click (bench/README.md, bench:callback).
 */

export const platformNameSchema = z.enum(['sandbox', 'feishu', 'dingtalk']);

export const chatRefSchema = z.object({ platform: platformNameSchema, chatId: z.string() });

export const memberSchema = z.object({
  id: z.string(),
  name: z.string(),
  platformRole: z.enum(['owner', 'admin', 'member']).optional(),
});

/** `Pick<Member, 'id' | 'name'>`: an organizer or author as recorded on a series or a message. */
export const memberNameSchema = memberSchema.pick({ id: true, name: true });

export const dutyKindSchema = z.enum(['meeting', 'study', 'report']);
const answerStatusSchema = z.enum(['pending', 'attending', 'leave', 'submitted']);

/** A category name of schedules/categories.ts. */
export const categorySchema = z.enum(CATEGORY_ROWS.map((row) => row.name) as [Category, ...Category[]]);

/** The meeting options (issue 14: 类别, 时长, 主持人, 记录人, 议题, 签到码, 需附件), as a duty, a series and a draft keep them. */
export const meetingOptionFields = {
  category: categorySchema.optional(),
  durationMinutes: z.number().int().positive().optional(),
  host: z.object({ id: z.string(), name: z.string() }).optional(),
  recorder: z.object({ id: z.string(), name: z.string() }).optional(),
  agenda: z.string().optional(),
  signinCode: z.boolean().optional(),
  needsFile: z.boolean().optional(),
};

export const dutySchema = z.object({
  id: z.string(),
  chat: chatRefSchema,
  number: z.number().int(),
  kind: dutyKindSchema,
  label: z.string(),
  title: z.string(),
  at: z.number(),
  place: z.string().optional(),
  link: z.string().optional(),
  notes: z.string().optional(),
  organizer: memberSchema,
  ...meetingOptionFields,
  audience: z.array(z.string()),
  audienceOpen: z.boolean().optional(),
  reminderOffsets: z.array(z.number()),
  state: z.enum(['scheduled', 'cancelled', 'done']),
  seriesId: z.string().optional(),
  campaignId: z.string().optional(),
  deliveryError: z.object({ code: z.string(), detail: z.string(), at: z.number() }).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const answerSchema = z.object({
  memberId: z.string(),
  status: z.enum(['attending', 'leave', 'submitted']),
  reason: z.string().optional(),
  at: z.number(),
  actedAt: z.number().optional(),
  late: z.boolean().optional(),
  implied: z.boolean().optional(),
});

const entryBase = { at: z.number(), by: z.string() };

export const historyEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), ...entryBase }),
  z.object({ type: z.literal('answer'), ...entryBase, status: answerStatusSchema, reason: z.string().optional(), previous: answerStatusSchema }),
  z.object({ type: z.literal('cancelled'), ...entryBase }),
  z.object({ type: z.literal('rescheduled'), ...entryBase, from: z.number(), to: z.number() }),
  z.object({ type: z.literal('reminders'), ...entryBase, offsets: z.array(z.number()) }),
  z.object({ type: z.literal('done'), ...entryBase }),
  z.object({ type: z.literal('delivery-failed'), ...entryBase, code: z.string(), detail: z.string() }),
  z.object({ type: z.literal('minutes'), ...entryBase, text: z.string(), replaced: z.boolean() }),
  z.object({ type: z.literal('signin'), ...entryBase, member: z.string(), how: z.enum(['text', 'button', 'code']), late: z.boolean().optional() }),
  z.object({
    type: z.literal('signin-correction'),
    ...entryBase,
    member: z.string(),
    action: z.enum(['present', 'absent', 'revoke']),
    late: z.boolean().optional(),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('category'), ...entryBase, from: categorySchema, to: categorySchema }),
]);

/** A chat's 免打扰 setting (src/domain/quiet-hours.ts), kept in its settings hash. */
export const quietHoursSchema = z.object({ start: z.number().int(), end: z.number().int(), enabled: z.boolean() });

type _PlatformName = Assert<SameShape<z.output<typeof platformNameSchema>, PlatformName>>;
type _ChatRef = Assert<SameShape<z.output<typeof chatRefSchema>, ChatRef>>;
type _Member = Assert<SameShape<z.output<typeof memberSchema>, Member>>;
type _Duty = Assert<SameShape<z.output<typeof dutySchema>, Duty>>;
type _Answer = Assert<SameShape<z.output<typeof answerSchema>, Answer>>;
type _HistoryEntry = Assert<SameShape<z.output<typeof historyEntrySchema>, HistoryEntry>>;
type _QuietHours = Assert<SameShape<z.output<typeof quietHoursSchema>, QuietHours>>;
