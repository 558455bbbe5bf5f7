import type { CardModel } from '../domain/card-model';
import { toAppError, ErrorCode } from '../errors';
import { cardReplyKey } from '../queue/inbound-queue';
import { sendOnce } from '../queue/send-once';
import type { CommandContext } from './handler';

/**
 * Answer a command with a card. The outbox only carries duty cards and texts, so the card goes to the platform
 * here, once per command message (the sent log and the platform's idempotency key, as the card worker does); when
 * the platform refuses it, the same content is answered as text through the outbox, which retries.
 */
export async function replyWithCard(ctx: CommandContext, card: CardModel, fallback: string): Promise<void> {
  const { chat, messageId } = ctx.message;
  const key = cardReplyKey(chat, messageId);
  try {
    const port = ctx.services.platforms.get(chat.platform);
    await sendOnce(ctx.services.sent, key, (idempotencyKey) => port.sendCard(chat.chatId, card, { idempotencyKey, replyTo: messageId }));
  } catch (err) {
    if (toAppError(err).code === ErrorCode.StoreUnavailable) throw err;
    ctx.log.warn({ err }, 'card reply refused by the platform: answered as text');
    await ctx.reply(fallback);
  }
}
