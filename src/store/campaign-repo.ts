import type { Redis } from 'ioredis';
import type { ChatRef, Duty, DutyKind } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DutyRepo, type CompanionRecord } from './duty-repo';
import { Keys } from './redis';

/*
 * Campaigns: one report duty created in many chats from the working committee's chat (发起 述职 … 范围 …).
 * Key layout (P = key prefix, K = campaign id). No TTLs.
 *   P:campaign:K         string  JSON Campaign
 *   P:campaign:K:rev     counter bumped by every answer in any of its duties (drives summary refreshes)
 *   P:campaign:K:cards   hash    messageId -> JSON MessageRef of the summary cards in the origin chat
 */

export interface CampaignPart {
  readonly chat: ChatRef;
  readonly chatName: string;
  readonly dutyId: string;
  readonly number: number;
}

export interface Campaign {
  readonly id: string;
  readonly origin: ChatRef;
  readonly kind: DutyKind;
  readonly label: string;
  readonly title: string;
  readonly at: number;
  readonly createdBy: { readonly id: string; readonly name: string };
  readonly createdAt: number;
  readonly parts: readonly CampaignPart[];
}

export class CampaignRepo {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  static newId(): string {
    return DutyRepo.newId();
  }

  /**
   * The campaign's record as the companion of its duties (DutyRepo.createMany): written in the same script, with
   * the parts `parts` makes of the duties as they are numbered, so a campaign never names duties that do not exist.
   */
  companion(campaign: Omit<Campaign, 'parts'>, parts: (duties: readonly Duty[]) => readonly CampaignPart[]): CompanionRecord {
    return { key: this.keys.k('campaign', campaign.id), of: (duties) => JSON.stringify({ ...campaign, parts: parts(duties) } satisfies Campaign) };
  }

  async get(id: string): Promise<Campaign | undefined> {
    const raw = await this.redis.get(this.keys.k('campaign', id));
    return raw ? (JSON.parse(raw) as Campaign) : undefined;
  }

  async bump(id: string): Promise<number> {
    return this.redis.incr(this.keys.k('campaign', id, 'rev'));
  }

  async rev(id: string): Promise<number> {
    return Number((await this.redis.get(this.keys.k('campaign', id, 'rev'))) ?? 0);
  }

  async addCard(id: string, ref: MessageRef): Promise<void> {
    await this.redis.hset(this.keys.k('campaign', id, 'cards'), ref.messageId, JSON.stringify(ref));
  }

  async cards(id: string): Promise<MessageRef[]> {
    return Object.values(await this.redis.hgetall(this.keys.k('campaign', id, 'cards'))).map((v) => JSON.parse(v) as MessageRef);
  }
}
