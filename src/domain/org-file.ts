import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { inferLevel, levelList, treeProblem, unitLevelSchema, unitNameSchema, type Unit } from './units';

/**
 * The organisation file, data/org.yaml (README "组织架构文件"): every unit with its level (read from the name's
 * ending when left out), its parent and, optionally, its group chat. Parsed and checked whole: the answer is all the
 * units or the first problem with the line it is on (yaml's LineCounter and the nodes' ranges). Pure.
 *
 *   units:
 *     - name: 市直机关工委
 *     - name: 市财政局机关党委
 *       parent: 市直机关工委
 *     - name: 第一党支部
 *       parent: 市财政局机关党委
 *       chat: feishu:oc_123
 */

const entrySchema = z
  .object({
    name: unitNameSchema,
    level: unitLevelSchema.optional(),
    parent: unitNameSchema.optional(),
    chat: z.string().regex(/^(sandbox|feishu|dingtalk):\S{1,200}$/, '须写成 <平台>:<群ID>，如 feishu:oc_123').optional(),
  })
  .strict();

const fileSchema = z.object({ units: z.array(entrySchema).max(5000) }).strict();

export type OrgFileResult = { readonly ok: true; readonly units: Unit[] } | { readonly ok: false; readonly line?: number; readonly error: string };

const FIELD_WORDS: Record<string, string> = { name: '名称 name', level: '级别 level', parent: '上级 parent', chat: '群 chat', units: 'units' };

/** Read the file's text into units, or say what is wrong and on which line. */
export function parseOrgFile(text: string): OrgFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    return { ok: false, line, error: `第 ${line} 行：YAML 格式有误（${syntax.code}）。` };
  }
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const at = (line: number | undefined, message: string): OrgFileResult => ({ ok: false, ...(line ? { line } : {}), error: line ? `第 ${line} 行：${message}` : message });
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
    const field = path.filter((p): p is string => typeof p === 'string').pop();
    const what = field ? FIELD_WORDS[field] ?? field : '内容';
    if (path.length === 0) return at(lineOf([]), '文件须以「units:」开头，下面逐条列出单位。');
    if (field === 'level') return at(lineOf(path), `级别只能是 ${levelList()}。`);
    if (issue?.code === 'unrecognized_keys') return at(lineOf(path), `不认识的字段 ${issue.keys.join('、')}：每个单位只写 name、level、parent、chat。`);
    return at(lineOf(path), `${what}有误：${issue?.message ?? '格式不对'}（名称不超过 40 个字，不含空格和标点）。`);
  }
  const units: Unit[] = [];
  for (const [i, e] of parsed.data.units.entries()) {
    const level = e.level ?? inferLevel(e.name);
    if (!level) return at(lineOf(['units', i]), `看不出「${e.name}」是什么级别：请写上 level（${levelList()}）。`);
    units.push({ name: e.name, level, ...(e.parent ? { parent: e.parent } : {}), ...(e.chat ? { chat: e.chat } : {}) });
  }
  const problem = treeProblem(units);
  if (problem) return at(lineOf(['units', problem.index]), problem.message);
  return { ok: true, units };
}
