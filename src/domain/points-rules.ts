import { z } from 'zod';
import { DEFAULT_POINTS_RULES } from '../../schedules/points';

/** The points of each rule (schedules/points.ts), by the rule's key. */
export interface PointsRules {
  readonly signin: number;
  readonly late: number;
  readonly leave: number;
  readonly absent: number;
  readonly reportOnTime: number;
  readonly reportLate: number;
  readonly reportMissing: number;
  readonly minutesOnTime: number;
  /** A member's points of one calendar month count for at most this much. */
  readonly monthlyCap: number;
}

export type PointsRuleKey = Exclude<keyof PointsRules, 'monthlyCap'>;

/** Each key as the rules file (and the entries users see) names it. */
export const RULE_WORDS: Readonly<Record<keyof PointsRules, keyof typeof DEFAULT_POINTS_RULES>> = {
  signin: '签到',
  late: '迟到',
  leave: '请假',
  absent: '缺席',
  reportOnTime: '报告按时',
  reportLate: '报告逾期',
  reportMissing: '报告未交',
  minutesOnTime: '纪要按时',
  monthlyCap: '每月上限',
};

const points = z.number().int().min(-100).max(100);

/**
 * The rules file (`<DATA_DIR>/points.yaml`): any of the Chinese keys of schedules/points.ts, each an integer; a key
 * left out keeps its default, an unknown key is refused (a typo never passes silently).
 */
export const pointsFileSchema = z
  .object({
    签到: points,
    迟到: points,
    请假: points,
    缺席: points,
    报告按时: points,
    报告逾期: points,
    报告未交: points,
    纪要按时: points,
    每月上限: z.number().int().min(1).max(10_000),
  })
  .partial()
  .strict();

export type PointsFile = z.output<typeof pointsFileSchema>;

/** The defaults with the file's values over them. */
export function pointsRules(file: PointsFile = {}): PointsRules {
  const merged = { ...DEFAULT_POINTS_RULES, ...file };
  const out = {} as Record<keyof PointsRules, number>;
  for (const [key, word] of Object.entries(RULE_WORDS) as [keyof PointsRules, keyof typeof DEFAULT_POINTS_RULES][]) out[key] = merged[word];
  return out;
}

/** Check a decoded rules file; an error names the key at fault (`每月上限: …`). */
export function parsePointsFile(raw: unknown, source: string): PointsRules {
  const parsed = pointsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new Error(`invalid points rules ${source}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return pointsRules(parsed.data);
}

export const DEFAULT_RULES: PointsRules = pointsRules();
