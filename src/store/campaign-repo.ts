import type { StoreConnection } from './redis-cluster';
import type { ChatRef, Duty, Member } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DutyRepo, type CompanionRecord } from './duty-repo';
import { keepParsed, parseRecord, warnDamaged, type DamageReport } from './records';
import { Keys } from './redis';
import { campaignSchema } from './schemas/campaign';
import { messageRefSchema } from './schemas/message-ref';

/*
 * Campaigns: one report duty created in many chats from the working committee's chat (发起 述职 … 范围 …).
 * Key layout (P = key prefix, K = campaign id). No TTLs.
 *   P:campaign:K         string  JSON Campaign
 *   P:campaign:K:rev     counter bumped by every answer in any of its duties (drives summary refreshes)
 *   P:campaign:K:cards   hash    messageId -> JSON MessageRef of the summary cards in the origin chat
 * Records are parsed when read (src/store/records.ts): `get` throws DamagedRecord for a campaign that does not
 * parse; `cards` leaves a damaged card out (it is then not refreshed) and reports it with its key.
 */

/** One chat's duty of a campaign: the duty's chat and number, and the chat's name for the summary. */
export interface CampaignPart extends Pick<Duty, 'chat' | 'number'> {
  readonly chatName: string;
  readonly dutyId: Duty['id'];
}

/** The duty template every part shares (kind, label, title, time), who started it where, and its parts. */
export interface Campaign extends Pick<Duty, 'kind' | 'label' | 'title' | 'at'> {
  readonly id: string;
  readonly origin: ChatRef;
  readonly createdBy: Pick<Member, 'id' | 'name'>;
  readonly createdAt: number;
  readonly parts: readonly CampaignPart[];
}

export class CampaignRepo {
  private readonly keys: Keys;

  constructor(
    private readonly redis: StoreConnection,
    prefix: string,
    /** Where lists report the records they leave out. */
    private readonly report: DamageReport = warnDamaged,
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
    const key = this.keys.k('campaign', id);
    const raw = await this.redis.get(key);
    return raw ? parseRecord(campaignSchema, raw, key) : undefined;
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
    const key = this.keys.k('campaign', id, 'cards');
    return keepParsed(messageRefSchema, key, Object.entries(await this.redis.hgetall(key)), this.report);
  }
}
