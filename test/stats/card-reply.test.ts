import { cardReplyKey } from '../../src/queue/inbound-queue';
import type { CommandContext } from '../../src/app/handler';
import { CardReplies, replyWithCard } from '../../src/app/stats-card-reply';
import type { CardModel } from '../../src/domain/card-model';
import { PlatformError } from '../../src/errors';
import type { MessageRef, RichText } from '../../src/platforms/port';
import { silentLogger } from '../helpers/harness';

const CARD: CardModel = { header: { title: '【统计】2026年', subtitle: '第一党支部', color: 'purple' }, fields: [], tally: '', groups: [], buttons: [], footer: '' };

/** A command context over an in-memory sent log and a port whose sendCard does what `send` says. */
function context(send: (chatId: string, card: CardModel, options: { idempotencyKey?: string; replyTo?: string }) => Promise<MessageRef>) {
  const sent = new Map<string, MessageRef>();
  const replies: (string | RichText)[] = [];
  const calls: string[] = [];
  const ctx = {
    message: { kind: 'message', chat: { platform: 'sandbox', chatId: 'branch-1' }, messageId: 'm1', sender: { id: 'u1', name: '王建国' }, text: '统计 本年', receivedAt: 0 },
    log: silentLogger(),
    reply: async (text: string | RichText) => void replies.push(text),
    services: {
      cards: new CardReplies({
        sent: { get: async (k: string) => sent.get(k), record: async (k: string, ref: MessageRef) => void sent.set(k, ref) },
        platforms: {
          get: () => ({
            sendCard: async (chatId: string, card: CardModel, options: { idempotencyKey?: string; replyTo?: string }) => {
              calls.push(`${chatId} ${options.replyTo} ${options.idempotencyKey}`);
              return send(chatId, card, options);
            },
          }),
        },
      } as unknown as ConstructorParameters<typeof CardReplies>[0]),
    },
  } as unknown as CommandContext;
  return { ctx, replies, calls };
}

describe('replyWithCard', () => {
  it('should send the card once per command message, as a reply, with an idempotency key', async () => {
    const { ctx, replies, calls } = context(async (chatId) => ({ platform: 'sandbox', chatId, messageId: 'c1' }));
    await replyWithCard(ctx, CARD, 'text');
    await replyWithCard(ctx, CARD, 'text');
    expect(calls).toHaveLength(1);
    // One naming of a message for every send answering it (src/queue/inbound-queue.ts; issue 13 item 1): 40 hex digits.
    expect(calls[0]).toMatch(/^branch-1 m1 card-[0-9a-f]{40}$/);
    expect(calls[0]).toBe(`branch-1 m1 ${cardReplyKey({ platform: 'sandbox' }, 'm1')}`);
    expect(replies).toEqual([]);
  });

  it('should answer with the text through the outbox when the platform refuses the card', async () => {
    const { ctx, replies } = context(async () => {
      throw new PlatformError(false, 'card too large', 230025);
    });
    await replyWithCard(ctx, CARD, '【统计】2026年\n…');
    expect(replies).toEqual(['【统计】2026年\n…']);
  });
});
