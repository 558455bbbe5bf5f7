import type { ChatRef, Duty, Member } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DutyRepo } from './duty-repo';
import { keepParsed, parseRecord } from './records';
import { RecordRepo } from './repo-base';
import { campaignSchema } from './schemas/campaign';
import { messageRefSchema } from './schemas/message-ref';

/*
 * Campaigns: one report duty created in many chats from the working committee's chat (发起 述职 … 范围 …).
 * Key layout (P = key prefix, K = campaign id). No TTLs.
 *   P:campaign:K         string  JSON Campaign
 *   P:campaign:K:rev     counter bumped by every answer in any of its duties (drives summary refreshes)
 *   P:campaign:K:cards   hash    messageId -> JSON MessageRef of the summary cards in the origin chat
 *   P:campaigns:pending  set     K of every campaign whose duties are being created
 * A campaign is created in steps, since its chats' duties live in different slots on a Redis Cluster
 * (src/store/keys.ts): `begin` writes the record as pending, naming its chats; each chat's duty is created, guarded
 * by the chat's `campaign` hash (DutyRepo.createMany), so a retry finds it; `complete` rewrites the record with the
 * duties' numbers. A campaign left pending (a process stopped half-way) is finished at the start-up reconciliation
 * (CampaignService.finishPending); its summary card is posted only once it is complete.
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
  /** Set while the duties are being created (parts empty then); absent once complete. */
  readonly state?: 'pending';
  /** The chats a pending campaign reaches, with their names. */
  readonly targets?: readonly CampaignTarget[];
  /** The organizer of each chat's duty (kept while pending, to finish it). */
  readonly organizer?: Member;
}

export interface CampaignTarget {
  readonly chat: ChatRef;
  readonly chatName: string;
}

export class CampaignRepo extends RecordRepo {
  static newId(): string {
    return DutyRepo.newId();
  }

  /** Write the record as pending (its targets, no parts yet), unless the id is taken: false then, nothing written. */
  async begin(campaign: Omit<Campaign, 'parts' | 'state'> & { readonly targets: readonly CampaignTarget[]; readonly organizer: Member }): Promise<boolean> {
    const record: Campaign = { ...campaign, parts: [], state: 'pending' };
    if ((await this.redis.set(this.keys.k('campaign', campaign.id), JSON.stringify(record), 'NX')) !== 'OK') return false;
    await this.redis.sadd(this.pendingKey(), campaign.id);
    return true;
  }

  /** Rewrite the record with its parts, the duties it made (no longer pending). */
  async complete(campaign: Campaign, parts: readonly CampaignPart[]): Promise<Campaign> {
    const { state: _pending, targets: _targets, organizer: _organizer, ...rest } = campaign;
    const done: Campaign = { ...rest, parts };
    await this.redis.set(this.keys.k('campaign', campaign.id), JSON.stringify(done));
    await this.redis.srem(this.pendingKey(), campaign.id);
    return done;
  }

  /** Campaigns left pending (their ids; a record gone or complete is taken out of the set). */
  async pending(): Promise<Campaign[]> {
    const out: Campaign[] = [];
    for (const id of await this.redis.smembers(this.pendingKey())) {
      const found = await this.get(id);
      if (found?.state === 'pending') out.push(found);
      else await this.redis.srem(this.pendingKey(), id);
    }
    return out;
  }

  private pendingKey = (): string => this.keys.k('campaigns', 'pending');

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
