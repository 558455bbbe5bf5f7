import type { MessageRef } from '../platforms/port';
import { keepParsed, type DamageReport } from './records';
import type { Keys } from './redis';
import type { StoreConnection } from './redis-cluster';
import { messageRefSchema } from './schemas/message-ref';

/**
 * The cards posted for each duty (`P:duty:D:cards`, messageId → MessageRef) and the index from a card to its duty
 * (`P:duty-card:<platform>:M` → D): a file sent as a reply to a card goes to its duty (src/store/duty-repo.ts).
 */
export class DutyCards {
  constructor(
    private readonly redis: StoreConnection,
    private readonly keys: Keys,
    private readonly report: DamageReport,
  ) {}

  private cardsKey = (id: string): string => this.keys.duty(id, 'cards');
  private cardIndexKey = (platform: string, messageId: string): string => this.keys.k('duty-card', platform, messageId);

  /**
   * The card and its index entry: in one MULTI on one Redis; on a cluster (two slots) the card, then the entry (both
   * idempotent, a retried job writes them again).
   */
  async add(id: string, ref: MessageRef): Promise<void> {
    if (!this.keys.spreads) {
      await this.redis.multi().hset(this.cardsKey(id), ref.messageId, JSON.stringify(ref)).set(this.cardIndexKey(ref.platform, ref.messageId), id).exec();
      return;
    }
    await this.redis.hset(this.cardsKey(id), ref.messageId, JSON.stringify(ref));
    await this.redis.set(this.cardIndexKey(ref.platform, ref.messageId), id);
  }

  /** As addCard; on a cluster the entry first: one left behind would only point a file reply at a duty that exists. */
  async remove(id: string, messageId: string): Promise<void> {
    const ref = (await this.cards(id)).find((r) => r.messageId === messageId);
    if (!this.keys.spreads) {
      const m = this.redis.multi().hdel(this.cardsKey(id), messageId);
      if (ref) m.del(this.cardIndexKey(ref.platform, messageId));
      await m.exec();
      return;
    }
    if (ref) await this.redis.del(this.cardIndexKey(ref.platform, messageId));
    await this.redis.hdel(this.cardsKey(id), messageId);
  }

  /** The duty whose card is message `messageId` on `platform` (cards posted since the index exists). */
  async dutyOf(platform: string, messageId: string): Promise<string | undefined> {
    return (await this.redis.get(this.cardIndexKey(platform, messageId))) ?? undefined;
  }

  async cards(id: string): Promise<MessageRef[]> {
    const raw = await this.redis.hgetall(this.cardsKey(id));
    return keepParsed(messageRefSchema, this.cardsKey(id), Object.entries(raw), this.report);
  }
}
