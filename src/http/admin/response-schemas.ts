import { z } from 'zod';

/**
 * What the admin API answers. Times are ISO 8601 with the offset of BOT_TIMEZONE (e.g. +08:00).
 * Tests parse real responses with these schemas, and openapi.ts publishes them, so both stay true.
 */

const isoTime = z.string().describe('ISO 8601，带 BOT_TIMEZONE 的偏移，例如 2026-12-05T15:00:00+08:00');

export const memberOutSchema = z.object({ id: z.string(), name: z.string() });

export const dutyOutSchema = z.object({
  id: z.string(),
  chat: z.string().describe('`<platform>:<chatId>`'),
  number: z.number().int().describe('群内编号，成员写作 #N'),
  kind: z.enum(['meeting', 'study', 'report']),
  label: z.string().describe('类型名称：会议 / 学习 / 报告 …'),
  title: z.string(),
  at: isoTime,
  place: z.string().optional(),
  link: z.string().optional(),
  notes: z.string().optional(),
  organizer: memberOutSchema,
  audience: z.array(z.string()).describe('应回复的成员 id'),
  reminderOffsets: z.array(z.number().int()).describe('提前多少分钟提醒，从大到小'),
  state: z.enum(['scheduled', 'cancelled', 'done']),
  deliveryError: z.object({ code: z.string(), detail: z.string(), at: isoTime }).optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type DutyOut = z.infer<typeof dutyOutSchema>;

const tallyEntrySchema = z.object({ memberId: z.string(), name: z.string(), reason: z.string().optional() });

export const tallyOutSchema = z.object({
  line: z.string().describe('参加 N · 请假 N · 未回复 N，或 已提交 N · 未提交 N'),
  counts: z.object({ attending: z.number().int(), leave: z.number().int(), submitted: z.number().int(), pending: z.number().int() }),
  attending: z.array(tallyEntrySchema),
  leave: z.array(tallyEntrySchema),
  submitted: z.array(tallyEntrySchema),
  pending: z.array(tallyEntrySchema),
});
export type TallyOut = z.infer<typeof tallyOutSchema>;

export const dutyWithTallySchema = z.object({ duty: dutyOutSchema, tally: tallyOutSchema });

export const tallyResponseSchema = z.object({ dutyId: z.string(), tally: tallyOutSchema });

export const dutyListSchema = z.object({
  chat: z.string(),
  from: isoTime.nullable().describe('null：不限'),
  to: isoTime.nullable().describe('null：不限'),
  duties: z.array(dutyOutSchema).describe('按时间从早到晚'),
});

const status = z.enum(['pending', 'attending', 'leave', 'submitted']);
const entryBase = { at: isoTime, by: z.string().describe('操作人 id'), byName: z.string().optional() };

export const historyEntryOutSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), ...entryBase }),
  z.object({ type: z.literal('answer'), ...entryBase, status, previous: status, reason: z.string().optional() }),
  z.object({ type: z.literal('cancelled'), ...entryBase }),
  z.object({ type: z.literal('rescheduled'), ...entryBase, from: isoTime, to: isoTime }),
  z.object({ type: z.literal('reminders'), ...entryBase, offsets: z.array(z.number().int()) }),
  z.object({ type: z.literal('done'), ...entryBase }),
  z.object({ type: z.literal('delivery-failed'), ...entryBase, code: z.string(), detail: z.string() }),
  z.object({ type: z.literal('minutes'), ...entryBase, text: z.string().describe('纪要全文'), replaced: z.boolean().describe('替换了之前的纪要') }),
  z.object({ type: z.literal('signin'), ...entryBase, member: z.string(), how: z.enum(['text', 'button', 'code']), late: z.boolean().optional() }),
  z.object({
    type: z.literal('signin-correction'),
    ...entryBase,
    member: z.string(),
    action: z.enum(['present', 'absent', 'revoke']).describe('补签 / 缺席 / 撤销签到'),
    late: z.boolean().optional(),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('category'), ...entryBase, from: z.string().describe('原类别'), to: z.string().describe('新类别') }),
]);
export type HistoryEntryOut = z.infer<typeof historyEntryOutSchema>;

export const historyResponseSchema = z.object({ dutyId: z.string(), entries: z.array(historyEntryOutSchema).describe('从早到晚，每次变更一条') });

export const EXPORT_COLUMNS = ['支部', '事项', '类型', '时间', '成员', '状态', '原因', '确认时间', '是否逾期'] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export const exportRowSchema = z.object({
  支部: z.string().describe('群名称；未知时为 `<platform>:<chatId>`'),
  事项: z.string().describe('#编号 标题'),
  类型: z.string(),
  时间: isoTime,
  成员: z.string(),
  状态: z.enum(['参加', '请假', '已提交', '未回复', '未交']).describe('报告过了截止仍未提交为「未交」'),
  原因: z.string().describe('请假原因；无则为空'),
  确认时间: z.string().describe('ISO 8601；未回复为空'),
  是否逾期: z.enum(['是', '否', '']).describe('报告：逾期提交为「是」，按时提交为「否」，未提交为空（见「状态」：未交）；会议、学习为空'),
});
export type ExportRow = z.infer<typeof exportRowSchema>;

export const exportResponseSchema = z.object({
  chat: z.string(),
  from: isoTime.nullable(),
  to: isoTime.nullable(),
  columns: z.array(z.enum(EXPORT_COLUMNS)),
  rows: z.array(exportRowSchema).describe('每个未取消事项 × 每个参与成员一行'),
});

export const committeeChatSchema = z.object({
  chat: z.string().describe('`<platform>:<chatId>`'),
  committee: z.boolean().describe('现在是否为工委群'),
  configured: z.boolean().describe('是否在配置 COMMITTEE_CHATS 中列出（只能改配置取消）'),
  changed: z.boolean().describe('本次请求是否改变了状态'),
});

export const committeeListSchema = z.object({
  chats: z
    .array(z.object({ chat: z.string(), source: z.enum(['config', 'store']).describe('config：COMMITTEE_CHATS；store：设为工委群或本接口') }))
    .describe('全部工委群'),
});

export const problemSchema = z.object({
  type: z.string().describe('问题类型 URI（tag:luoshi,2026:problem/…）'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('可读的说明（中文）'),
  instance: z.string().describe('出错请求的路径'),
  code: z.string().optional().describe('领域错误码（AppError.code）'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('参数校验的每一处错误'),
});
