import type { CardModel } from '../domain/card-model';
import { chatKey, type AnswerStatus } from '../domain/types';
import type { InboundAction } from '../platforms/port';
import type { Dedupe } from '../store/dedupe';
import type { AnswerWrite } from '../store/duty-repo';
import type { DutyService } from './duty-service';
import type { DutyViews } from './duty-views';

/** One click on a duty card's 参加 / 请假 / 已提交, as the platform delivered it: who, where, which delivery, when. */
export type AnswerClick = Pick<InboundAction, 'chat' | 'actor' | 'deliveryId' | 'actedAt'>;

/**
 * The answers given by clicking a duty's card. One transaction reads the duty, checks it belongs to the chat of the
 * click (a value from another chat's card, replayed or forged, is refused like an unknown duty), takes the
 * delivery's id, decides and writes; the card comes back rendered from the answers that transaction read.
 */
export class AnswerClicks {
  constructor(
    private readonly deps: {
      readonly dutyService: DutyService;
      readonly dedupe: Dedupe;
      readonly views: DutyViews;
    },
  ) {}

  /**
   * Undefined when the duty is unknown in this chat. The card is left out when the click changed nothing because
   * it was taken before or is older than the member's answer (`replayed`, `stale`).
   */
  async answer(
    dutyId: string,
    click: AnswerClick,
    status: Exclude<AnswerStatus, 'pending'>,
    reason: string | undefined,
    now: number,
  ): Promise<{ write: AnswerWrite; card?: CardModel } | undefined> {
    const claim = click.deliveryId ? this.deps.dedupe.claim(`click:${click.chat.platform}`, click.deliveryId, chatKey(click.chat)) : undefined;
    const write = await this.deps.dutyService.answer(dutyId, click.actor, status, now, reason, {
      chat: click.chat,
      ...(claim ? { claim } : {}),
      ...(click.actedAt === undefined ? {} : { actedAt: click.actedAt }),
    });
    if (!write) return undefined;
    if (!write.ok && (write.refusal === 'replayed' || write.refusal === 'stale')) return { write };
    return { write, card: await this.deps.views.card(write.duty, now, { answers: write.answers }) };
  }
}
