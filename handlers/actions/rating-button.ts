import type { ActionHandler } from '../../src/app/handler';

/**
 * 好 / 较好 / 一般 / 差 on a 述职评议 card: the service records the click (anonymously) and answers the toast, the
 * shared card (how many have rated) and the clicker's own card (their choice, sealed for a change).
 */
export const ratingButton: ActionHandler = {
  name: 'rating-button',
  acts: ['rate'],
  async handle({ action, value, now, services, log }) {
    if (value.act !== 'rate') return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const result = await services.rating.rate(value.duty, { chat: action.chat, actor: action.actor, choice: value.choice, ...(value.seal ? { seal: value.seal } : {}) }, now);
    // Never the choice in the log: the rating is anonymous.
    log.info({ dutyId: value.duty, kind: result.toast.kind }, 'rating click');
    return result;
  },
};
