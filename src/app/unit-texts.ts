import type { CardModel } from '../domain/card-model';
import { ancestorsOf, childrenOf, unitLabel, type Unit } from '../domain/units';
import type { PendingUnit } from '../store/unit-repo';

/** At most this many parents are offered as buttons; the rest are named in the text. */
export const MAX_PARENT_BUTTONS = 12;

/**
 * The tree around a unit (组织), top down:
 *   市直机关工委（工委）
 *   └ 市财政局机关党委（机关党委）
 *     └ 第一党支部（党支部）← 本群
 *       ├ 第一党小组（党小组）
 *       └ 第二党小组（党小组，未绑定群）
 */
export function treeText(units: readonly Unit[], unit: Unit, here: boolean): string {
  const line = [...ancestorsOf(units, unit.name)].reverse();
  const label = (u: Unit): string => (u.chat ? unitLabel(u) : `${u.name}（${u.level}，未绑定群）`);
  const rows = line.map((u, i) => `${i === 0 ? '' : `${'　'.repeat(i - 1)}└ `}${label(u)}`);
  const depth = line.length;
  rows.push(`${depth === 0 ? '' : `${'　'.repeat(depth - 1)}└ `}${label(unit)}${here ? ' ← 本群' : ''}`);
  const children = childrenOf(units, unit.name);
  children.forEach((c, i) => rows.push(`${'　'.repeat(depth)}${i === children.length - 1 ? '└' : '├'} ${label(c)}`));
  const below = children.length === 0 ? '\n（暂无下级单位）' : '';
  return `组织关系（${unit.name}）：\n${rows.join('\n')}${below}`;
}

/** The answer to 本群 … without 上级, as text: the command to send for each parent it may go under. */
export function parentChoiceText(pending: PendingUnit, candidates: readonly Unit[]): string {
  const lines = candidates.slice(0, 30).map((u) => `本群 ${pending.name} 上级 ${u.name}`);
  const more = candidates.length > 30 ? `\n……共 ${candidates.length} 个，请直接写上级的名称。` : '';
  return `「${pending.name}」（${pending.level}）的上级是哪个单位？请回复其中一条：\n${lines.join('\n')}${more}`;
}

/** The same as a card: one button per parent (the highest levels first). */
export function parentChoiceCard(pending: PendingUnit, candidates: readonly Unit[]): CardModel {
  const shown = candidates.slice(0, MAX_PARENT_BUTTONS);
  const rest = candidates.slice(MAX_PARENT_BUTTONS);
  return {
    header: { title: `「${pending.name}」的上级是？`, subtitle: `登记单位 · ${pending.level}`, color: 'blue' },
    fields: [{ label: '本群', value: unitLabel(pending) }],
    tally: '',
    groups: rest.length > 0 ? [{ label: '其他单位（请回复「本群 … 上级 …」）', entries: rest.map((u) => ({ name: u.name, note: u.level })) }] : [],
    buttons: shown.map((u) => ({ label: unitLabel(u), value: { v: 1 as const, pending: pending.id, parent: u.name, act: 'unit-parent' as const }, style: 'default' as const })),
    footer: '30分钟内有效；超级管理员或所选上级单位的党务管理员可以点。也可以回复「本群 <名称> 上级 <上级名称>」。',
  };
}

/** The card after a choice: no buttons, what was done. */
export function parentChosenCard(pending: Pick<PendingUnit, 'name' | 'level' | 'id'>, banner: string): CardModel {
  return {
    header: { title: `「${pending.name}」的上级是？`, subtitle: `登记单位 · ${pending.level}`, color: 'grey' },
    banner,
    fields: [],
    tally: '',
    groups: [],
    buttons: [],
    footer: '',
  };
}
