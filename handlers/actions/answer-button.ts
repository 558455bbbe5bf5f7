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
    if (!('duty' in value)) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    const status = STATUS[value.act];
    // 请假 without a reason is refused by the domain after the state checks (cancelled, passed, audience).
    const reason = action.form?.reason?.trim();
    // One transaction reads the duty, checks it belongs to this chat (a value from another chat's card, replayed or
    // forged, is refused like an unknown duty), decides and writes; it also returns the answers the card needs.
    const claim = action.deliveryId ? services.dedupe.claim(`click:${action.chat.platform}`, action.deliveryId) : undefined;
    const write = await services.dutyService.answer(value.duty, action.actor, status, now, reason, {
      chat: action.chat,
      ...(claim ? { claim } : {}),
      ...(action.actedAt === undefined ? {} : { actedAt: action.actedAt }),
    });
    if (!write) return { toast: { kind: 'error', text: '这个事项不存在或不属于本群。' } };
    if (!write.ok && (write.refusal === 'replayed' || write.refusal === 'stale')) return { toast: { kind: 'info', text: write.message } };
    const duty = write.duty;
    const card = await services.views.card(duty, now, { answers: write.answers });
    if (!write.ok) {
      const text = write.refusal === 'reason-required' ? '请填写请假原因后再提交。' : write.message;
      return { toast: { kind: write.refusal === 'unchanged' ? 'info' : 'warning', text }, card };
    }
    log.info({ dutyId: duty.id, status }, 'answer recorded');
    return { toast: { kind: 'success', text: answerToast(write.duty, write.answer) }, card };
  },
};
