import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { RequirementRow } from '../../schedules/compliance';
import { CATEGORIES } from './categories';
import { unitLevelSchema } from './units';

/**
 * The requirements file, data/compliance.yaml (README「Compliance」): the operator's own rows in place of the defaults
 * of schedules/compliance.ts, checked whole; the answer is the rows or the first problem with its line. Pure.
 *
 *   requirements:
 *     - category: 支委会
 *       period: month        # month | quarter | year
 *       min: 1
 *       levels: [党支部]
 *       source: 《支部工作条例》第十九条
 */
const rowSchema = z
  .object({
    category: z.string().refine((c) => (CATEGORIES as readonly string[]).includes(c), { message: `类别须是 ${CATEGORIES.join('、')} 之一` }),
    period: z.enum(['month', 'quarter', 'year']),
    min: z.number().int().min(1).max(31),
    levels: z.array(unitLevelSchema).min(1),
    source: z.string().min(1).max(200),
  })
  .strict();
const fileSchema = z.object({ requirements: z.array(rowSchema).min(1).max(200) }).strict();

export type RequirementsResult = { readonly ok: true; readonly rows: RequirementRow[] } | { readonly ok: false; readonly error: string };

export function parseRequirementsFile(text: string): RequirementsResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) return { ok: false, error: `第 ${lineCounter.linePos(syntax.pos[0]).line} 行：YAML 格式有误（${syntax.code}）。` };
  const parsed = fileSchema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, rows: parsed.data.requirements as RequirementRow[] };
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      return { ok: false, error: `第 ${lineCounter.linePos(node.range[0]).line} 行：${path.map(String).join('.') || 'requirements'} ${issue?.message ?? '有误'}` };
    }
  }
  return { ok: false, error: `文件须以「requirements:」开头：${issue?.message ?? '有误'}` };
}
