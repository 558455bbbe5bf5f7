import type { CardModel } from '../domain/card-model';
import type { ChatRef } from '../domain/types';
import { toAppError, ErrorCode } from '../errors';
import { cardReplyKey } from '../queue/inbound-queue';
import { sendOnce } from '../queue/send-once';
import type { SentLog } from '../store/sent-log';
import type { CommandContext } from './handler';
import type { PlatformRegistry } from './platform-registry';

/**
 * Sends a card in answer to a command message, once per message: the sent log and the platform's idempotency key,
 * as the card worker does. The outbox only carries duty cards and texts, so the card goes to the platform here.
 */
export class CardReplies {
  constructor(
    private readonly deps: {
      readonly sent: SentLog;
      readonly platforms: PlatformRegistry;
    },
  ) {}

  async send(message: { readonly chat: ChatRef; readonly messageId: string }, card: CardModel): Promise<void> {
    const { chat, messageId } = message;
    const key = cardReplyKey(chat, messageId);
    const port = this.deps.platforms.get(chat.platform);
    await sendOnce(this.deps.sent, key, (idempotencyKey) => port.sendCard(chat.chatId, card, { idempotencyKey, replyTo: messageId }));
  }
}

/**
 * Answer a command with a card (CardReplies); when the platform refuses it, the same content is answered as text
 * through the outbox, which retries.
 */
export async function replyWithCard(ctx: CommandContext, card: CardModel, fallback: string): Promise<void> {
  try {
    await ctx.services.cards.send(ctx.message, card);
  } catch (err) {
    if (toAppError(err).code === ErrorCode.StoreUnavailable) throw err;
    ctx.log.warn({ err }, 'card reply refused by the platform: answered as text');
    await ctx.reply(fallback);
  }
}
