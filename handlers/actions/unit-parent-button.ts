import type { ActionHandler } from '../../src/app/handler';
import { parentChosenCard } from '../../src/app/unit-texts';

/**
 * A parent on the card answering 本群 … without 上级 (issue 15): the chat is registered under it, once, if the clicker
 * may (a superadmin, or a secretary of that parent's chat or of a unit above it); the card closes.
 */
export const unitParentButton: ActionHandler = {
  name: 'unit-parent-button',
  acts: ['unit-parent'],
  async handle({ action, value, now, services, log }) {
    if (!('pending' in value)) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const unit = await services.units.chooseParent(value.pending, value.parent, action.actor, now);
    if (!unit) return { toast: { kind: 'warning', text: '这个选择已失效或已处理（30分钟内有效）。请重新发送「本群 …」。' } };
    log.info({ unit: unit.name, parent: unit.parent }, 'unit registered from the choice card');
    const text = `已登记：本群为「${unit.name}」（${unit.level}），上级「${value.parent}」。`;
    return { toast: { kind: 'success', text }, card: parentChosenCard({ id: value.pending, name: unit.name, level: unit.level }, text) };
  },
};
