import { z } from 'zod';

/**
 * The party organisation as a tree of units (issue 15): 工委 › 机关党委 › 党总支 › 党支部 › 党小组. A unit is named
 * once across the tree (its name is its key), has a level, at most one parent whose level is above its own, and may
 * be bound to one group chat (`<platform>:<chatId>`). Pure: the rules and their Chinese refusals.
 */

/** The levels, highest first (a smaller rank is above), with the name endings each is read from (longest first). */
export const UNIT_LEVELS = [
  { level: '工委', rank: 0, suffixes: ['工委'] },
  { level: '机关党委', rank: 1, suffixes: ['机关党委', '党委'] },
  { level: '党总支', rank: 2, suffixes: ['党总支', '总支'] },
  { level: '党支部', rank: 3, suffixes: ['党支部', '支部'] },
  { level: '党小组', rank: 4, suffixes: ['党小组', '小组'] },
] as const;

export type UnitLevel = (typeof UNIT_LEVELS)[number]['level'];
export const UNIT_LEVEL_NAMES: readonly UnitLevel[] = UNIT_LEVELS.map((l) => l.level);
export const unitLevelSchema = z.enum(['工委', '机关党委', '党总支', '党支部', '党小组']);

/** A unit's name: what people call it in chat (第一党支部), without spaces or separators. */
export const UNIT_NAME_MAX = 40;
export const unitNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(UNIT_NAME_MAX)
  .regex(/^[^\s,，、;；:："“”「」]+$/);

export const unitSchema = z
  .object({
    name: unitNameSchema,
    level: unitLevelSchema,
    parent: unitNameSchema.optional(),
    /** The group chat of the unit, `<platform>:<chatId>`; a unit known only by name (an import) has none. */
    chat: z.string().regex(/^(sandbox|feishu|dingtalk):\S{1,200}$/).optional(),
  })
  .strict();
export type Unit = z.infer<typeof unitSchema>;

export const rankOf = (level: UnitLevel): number => UNIT_LEVELS.find((l) => l.level === level)?.rank ?? 99;

/** The level a name's ending says (第一党支部 → 党支部, 市财政局机关党委 → 机关党委); undefined when none does. */
export function inferLevel(name: string): UnitLevel | undefined {
  const endings = UNIT_LEVELS.flatMap((l) => l.suffixes.map((s) => ({ s, level: l.level as UnitLevel }))).sort((a, b) => b.s.length - a.s.length);
  return endings.find((e) => name.endsWith(e.s))?.level;
}

/** A level as typed (级别 支部): the level itself or one of its endings. */
export function levelNamed(word: string): UnitLevel | undefined {
  const w = word.trim();
  return UNIT_LEVELS.find((l) => l.level === w || (l.suffixes as readonly string[]).includes(w))?.level;
}

export const levelList = (): string => UNIT_LEVEL_NAMES.join('、');

/**
 * Why a set of units is not a tree, in Chinese, or undefined when it is one: a name given twice, a chat bound to two
 * units, a parent that is not among them, a parent whose level is not above its child's, or a cycle.
 */
export function treeProblem(units: readonly Unit[]): TreeProblem | undefined {
  const byName = new Map<string, Unit>();
  const chats = new Map<string, string>();
  for (const [index, u] of units.entries()) {
    if (byName.has(u.name)) return { index, message: `单位名称重复：「${u.name}」出现了两次，每个单位的名称须唯一。` };
    byName.set(u.name, u);
    if (u.chat) {
      const other = chats.get(u.chat);
      if (other) return { index, message: `同一个群不能是两个单位：「${other}」和「${u.name}」绑定了同一个群。` };
      chats.set(u.chat, u.name);
    }
  }
  // A cycle first: its links would otherwise be refused one by one for their levels, which hides the loop.
  for (const [index, u] of units.entries()) {
    const seen = new Set<string>([u.name]);
    for (let p = u.parent; p !== undefined; p = byName.get(p)?.parent) {
      if (seen.has(p)) return { index, message: p === u.name ? `单位关系出现循环：「${u.name}」经上级又回到了自己。` : `单位关系出现循环：「${u.name}」的上级链回到了「${p}」。` };
      seen.add(p);
    }
  }
  for (const [index, u] of units.entries()) {
    if (u.parent === undefined) continue;
    const parent = byName.get(u.parent);
    if (!parent) return { index, message: `找不到「${u.name}」的上级「${u.parent}」：请先登记上级单位，或检查名称。` };
    if (rankOf(parent.level) >= rankOf(u.level)) {
      return { index, message: `上级的级别须高于下级：「${parent.name}」是${parent.level}，不能做${u.level}「${u.name}」的上级（级别从高到低：${levelList()}）。` };
    }
  }
  return undefined;
}

export interface TreeProblem {
  /** The entry at fault (the second of two with one name). */
  readonly index: number;
  readonly message: string;
}

/** The unit's ancestors, nearest first. */
export function ancestorsOf(units: readonly Unit[], name: string): Unit[] {
  const byName = new Map(units.map((u) => [u.name, u]));
  const out: Unit[] = [];
  const seen = new Set<string>([name]);
  for (let p = byName.get(name)?.parent; p !== undefined && !seen.has(p); p = byName.get(p)?.parent) {
    seen.add(p);
    const unit = byName.get(p);
    if (!unit) break;
    out.push(unit);
  }
  return out;
}

/** The unit's direct children, in the order given. */
export const childrenOf = (units: readonly Unit[], name: string): Unit[] => units.filter((u) => u.parent === name);

/** Every unit below `name`, breadth first. */
export function descendantsOf(units: readonly Unit[], name: string): Unit[] {
  const out: Unit[] = [];
  const seen = new Set<string>([name]);
  let layer = [name];
  while (layer.length > 0) {
    const next = units.filter((u) => u.parent !== undefined && layer.includes(u.parent) && !seen.has(u.name));
    for (const u of next) seen.add(u.name);
    out.push(...next);
    layer = next.map((u) => u.name);
  }
  return out;
}

/** `第一党支部（党支部）`. */
export const unitLabel = (u: Pick<Unit, 'name' | 'level'>): string => `${u.name}（${u.level}）`;

export const UNIT_REFUSAL = {
  who: '抱歉，只有超级管理员或上级单位所在群的党务管理员可以登记本群的单位。',
  top: '抱歉，没有上级的单位（如工委）只能由超级管理员登记。',
  noLevel: (name: string): string => `看不出「${name}」是什么级别：请写上级别，例如「本群 ${name} 级别 党支部 上级 市财政局机关党委」（级别：${levelList()}）。`,
  badLevel: (word: string): string => `没有「${word}」这个级别：级别只能是 ${levelList()}。`,
  badName: (name: string): string => `单位名称「${name}」不合适：名称不超过 ${UNIT_NAME_MAX} 个字，不含空格和标点。`,
  taken: (name: string): string => `「${name}」已是另一个群的单位：每个单位只能绑定一个群。`,
  direct: '单位须是群聊：请在该单位的群里发送「本群 …」。',
  notUnit: '本群还不是单位。登记：本群 第一党支部 上级 市财政局机关党委',
  notSecretary: '抱歉，只有本单位所在群的党务管理员或超级管理员可以向下级单位发起事项。',
  notBelow: (names: readonly string[]): string => `这些单位不在本单位之下：${names.join('、')}。只能向本单位的下级单位发起。`,
  unbound: (names: readonly string[]): string => `这些单位还没有绑定群，无法发起：${names.join('、')}。请在该单位的群里发送「本群 <单位名> 上级 <上级>」。`,
  noChildren: (all: boolean): string => `本单位还没有${all ? '' : '直属'}下级单位绑定了群：请在下级单位的群里发送「本群 <单位名> 上级 <本单位>」。`,
} as const;
