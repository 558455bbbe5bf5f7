import type { ActionHandler } from '../../src/app/handler';
import { answerToast } from '../../src/domain/answers';
import type { CardAction } from '../../src/domain/card-model';
import type { AnswerStatus } from '../../src/domain/types';

const STATUS: Record<CardAction, Exclude<AnswerStatus, 'pending'>> = { attend: 'attending', leave: 'leave', submit: 'submitted' };

/** 参加 / 请假 / 已提交 buttons: store the answer, answer the click with a toast and the updated card. */
export const answerButton: ActionHandler = {
  name: 'answer-button',
  acts: ['attend', 'leave', 'submit'],
  async handle({ action, value, now, services, log }) {
    if (!('duty' in value) || value.act === 'attach' || value.act === 'signin' || value.act === 'rate') return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const status = STATUS[value.act];
    // 需附件 (issue 14): 已提交 counts only with a file; the toast says how to send one.
    const needsFile = status === 'submitted' ? await services.materials.refuseSubmitWithoutFile(value.duty, action.actor.id) : undefined;
    if (needsFile !== undefined) return { toast: { kind: 'warning', text: needsFile } };
    // 请假 without a reason is refused by the domain after the state checks (cancelled, passed, audience).
    const reason = action.form?.reason?.trim();
    const answered = await services.answers.answer(value.duty, action, status, reason, now);
    if (!answered) return { toast: { kind: 'error', text: '这个事项不存在或不属于本群。' } };
    const { write, card } = answered;
    if (!write.ok && !card) return { toast: { kind: 'info', text: write.message } };
    if (!write.ok) {
      const text = write.refusal === 'reason-required' ? '请填写请假原因后再提交。' : write.message;
      return { toast: { kind: write.refusal === 'unchanged' ? 'info' : 'warning', text }, card };
    }
    log.info({ dutyId: write.duty.id, status }, 'answer recorded');
    return { toast: { kind: 'success', text: answerToast(write.duty, write.answer) }, card };
  },
};
