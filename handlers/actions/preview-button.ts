import { previewCard } from '../../src/app/duty-preview';
import type { ActionHandler } from '../../src/app/handler';
import { toAppError } from '../../src/errors';

/**
 * [发起] / [取消] on a preview card (issue 12): only its author's draft, and only the draft that card showed, is
 * created or dropped, once; the card closes (已发起 #7 / 已放弃) and the duty's own card is posted as for a command.
 */
export const previewButton: ActionHandler = {
  name: 'preview-button',
  acts: ['draft-create', 'draft-drop'],
  async handle({ action, value, now, services, log }) {
    if (!('draft' in value)) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const { drafts, duties, config } = services;
    if (value.act === 'draft-create') await duties.requireSecretary(action.chat, action.actor, 'create');
    const draft = await drafts.takeIf(action.chat, action.actor, value.draft);
    if (!draft) return { toast: { kind: 'warning', text: '这个预览已失效或已处理（30分钟内有效，只有发通知的人可以点）。' } };
    const tz = config.BOT_TIMEZONE;
    if (value.act === 'draft-drop') return { toast: { kind: 'info', text: `好的，「${draft.title}」没有发起。` }, card: previewCard(draft, [], tz, now, '已放弃') };
    try {
      // No replyTo: a click is not a message to answer; taking the draft above makes the creation happen once.
      const { text, made } = await drafts.create({ chat: action.chat, organizer: action.actor, log, now }, draft, undefined);
      return { toast: { kind: 'success', text: text.split('\n')[0] ?? text }, card: previewCard(draft, [], tz, now, `已发起 ${made}`) };
    } catch (err) {
      const appError = toAppError(err);
      if (!appError.isUserError) throw err;
      return { toast: { kind: 'warning', text: appError.userMessage }, card: previewCard(draft, [], tz, now, '未发起') };
    }
  },
};
