import type { ActionHandler } from '../../src/app/handler';

/** A duty tapped on the card answering a file (issue 14): the file is attached to it, once, by its sender only. */
export const attachButton: ActionHandler = {
  name: 'attach-button',
  acts: ['attach'],
  async handle({ action, value, services, log }) {
    if (!('upload' in value)) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const result = await services.materials.attachChosen(action.chat, action.actor, value.upload, value.duty);
    if (result.ok) log.info({ dutyId: value.duty }, 'material attached');
    return { toast: { kind: result.ok ? 'success' : 'warning', text: result.text }, ...(result.card ? { card: result.card } : {}) };
  },
};
