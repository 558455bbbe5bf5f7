import { z } from 'zod';
import { LIMITS } from '../../domain/duty-content';
import type { ChatRef, PlatformName } from '../../domain/types';
import { ProblemError, validationProblem } from './problem';

/**
 * What the admin API accepts. Every object is strict (unknown keys are refused); errors read in Chinese.
 * The same schemas feed the OpenAPI document (openapi.ts), so the document cannot drift from the checks.
 */

const PLATFORMS = ['sandbox', 'feishu', 'dingtalk'] as const satisfies readonly PlatformName[];

/** Reminder limits, as for the chat command `提醒` (src/time/parse-offsets.ts): 1 minute to 60 days, 10 points. */
export const OFFSET_LIMITS = { min: 1, max: 60 * 24 * 60, points: 10 } as const;

const isoTime = z.iso.datetime({ offset: true, error: '须为带时区的 ISO 8601 时间，例如 2026-12-05T15:00:00+08:00' });
const isoDate = z.iso.date({ error: '须为日期，例如 2026-12-05' });
const text = (max: number, what: string) =>
  z.string({ error: `${what}须为字符串` }).max(max, `${what}最多 ${max} 个字`).regex(/\S/, `${what}不能为空`);

export const memberInputSchema = z.strictObject({
  id: text(128, '成员 id'),
  name: text(64, '成员姓名'),
});

export const kindSchema = z.enum(['meeting', 'study', 'report'], { error: '类型须为 meeting（会议）、study（学习）或 report（报告）' });

export const createDutyBodySchema = z.strictObject({
  kind: kindSchema,
  title: text(LIMITS.title, '标题'),
  at: isoTime.describe('开始时间（会议、学习）或截止时间（报告），须在将来'),
  place: text(LIMITS.place, '地点').optional(),
  link: z
    .string()
    .max(LIMITS.link, `链接最多 ${LIMITS.link} 个字`)
    .regex(/^https?:\/\/\S+$/, '链接要以 http:// 或 https:// 开头')
    .optional(),
  notes: text(LIMITS.notes, '备注').optional(),
  reminderOffsets: z
    .array(
      z
        .number()
        .int('提醒须为整数分钟')
        .min(OFFSET_LIMITS.min, '提醒须在 1 分钟到 60 天之间')
        .max(OFFSET_LIMITS.max, '提醒须在 1 分钟到 60 天之间'),
    )
    .max(OFFSET_LIMITS.points, `提醒最多 ${OFFSET_LIMITS.points} 个`)
    .optional()
    .describe('提前多少分钟提醒；省略时用该类型的默认提醒，空数组表示不提醒'),
  organizer: memberInputSchema.describe('发起人：记入事项与历史，并列入参与名单'),
});
export type CreateDutyBody = z.infer<typeof createDutyBodySchema>;

export const cancelBodySchema = z.strictObject({ by: memberInputSchema.describe('取消人，记入历史') });

const periodBound = z.union([isoDate, isoTime], { error: '须为日期（2026-12-05）或带时区的 ISO 8601 时间' });
const periodShape = {
  from: periodBound.optional().describe('起（含）；日期按 BOT_TIMEZONE 从当天 00:00 起'),
  to: periodBound.optional().describe('止（含）；日期按 BOT_TIMEZONE 到当天结束'),
};

export const listQuerySchema = z.strictObject({
  ...periodShape,
  state: z.enum(['scheduled', 'cancelled', 'done'], { error: '状态须为 scheduled、cancelled 或 done' }).optional(),
});

export const exportQuerySchema = z.strictObject({
  ...periodShape,
  format: z.enum(['json', 'csv'], { error: '格式须为 json 或 csv' }).optional(),
});

/** `<platform>:<chatId>`, URL-encoded in the path. */
export const chatParamSchema = z
  .string()
  .max(256, '群标识太长')
  .regex(new RegExp(`^(${PLATFORMS.join('|')}):\\S+$`), '群须写成 <平台>:<群 id>，例如 sandbox:branch-1（平台为 sandbox、feishu 或 dingtalk）')
  .describe('`<platform>:<chatId>`，URL 编码，例如 `sandbox%3Abranch-1`');

/** Duty ids are 12 base-32 characters (DutyRepo.newId); anything else is an unknown duty. */
export const DUTY_ID_PATTERN = /^[a-z2-7]{12}$/;

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value, { error: zhError });
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

const zhError = z.locales.zhCN().localeError;

export function parseChat(raw: string): ChatRef {
  const key = parseWith(chatParamSchema, raw, '路径中的群');
  const split = key.indexOf(':');
  return { platform: key.slice(0, split) as PlatformName, chatId: key.slice(split + 1) };
}

/** A POST body must be JSON: body-parser leaves `req.body` undefined for any other content type. */
export function requireJsonBody(body: unknown): unknown {
  if (body === undefined) throw new ProblemError('unsupported-media-type', '请求体须为 JSON，并带 Content-Type: application/json。');
  return body;
}
