import type { ActionHandler } from '../../src/app/handler';
import { AppError } from '../../src/errors';

/**
 * The card's 签到 button (with 签到码 开, the platform asks for the code first): sign in and answer with a toast only.
 * The card is shared by the whole chat, and a click's card would replace it at once on every sign-in; the sign-in's
 * coalesced refresh (SIGNIN_REFRESH_MS, src/app/signin-service.ts) brings it up to date at most once a second.
 */
export const signinButton: ActionHandler = {
  name: 'signin-button',
  acts: ['signin'],
  async handle({ action, value, now, services, log }) {
    if (!('duty' in value)) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const duty = await services.signin.byId(action.chat, value.duty);
    if (!duty) return { toast: { kind: 'error', text: '这个事项不存在或不属于本群。' } };
    try {
      const done = await services.signin.signIn(duty, action.actor, now, 'button', action.form?.reason?.trim());
      log.info({ dutyId: duty.id, already: done.already }, 'signed in by button');
      const text = done.already ? '你已经签到过了。' : `已签到${done.record.late ? '（迟到）' : ''}`;
      return { toast: { kind: done.already ? 'info' : 'success', text } };
    } catch (err) {
      if (err instanceof AppError && err.isUserError) return { toast: { kind: 'warning', text: err.userMessage } };
      throw err;
    }
  },
};
