import { runScript } from './run-script';
import { randomBytes } from 'node:crypto';
import { emptyCounts, RATING_CHOICES, type RateOutcome, type Rating, type RatingChoice, type RatingCounts } from '../domain/rating';
import { ratingSchema } from '../domain/rating-schemas';
import { chatKey } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DamagedRecord } from '../errors';
import { keepParsed, parseRecord, tryRecord } from './records';
import { mgetByRecord, pipelineByTag } from './slot-groups';
import { RecordRepo } from './repo-base';
import { messageRefSchema } from './schemas/message-ref';

/*
 * 述职评议 (src/domain/rating.ts). Key layout (P = key prefix, D = the rated duty's id), no TTLs (records):
 *   P:rating:D          string  JSON Rating: what is rated, by whom opened, until when, who may rate (SET NX: once)
 *   P:rating:D:counts   hash    choice (good | fair | average | poor) -> how many chose it
 *   P:rating:D:raters   hash    memberId -> that member's change counter (1 at the first rating, +1 per change).
 *                               Never the choice: nothing here says who chose what. The counter makes a seal good
 *                               for one change only (src/app/rating-seal.ts).
 *   P:rating:D:cards    list    JSON MessageRef of the shared cards posted (closed at the deadline)
 *   P:chat:C:ratings    zset    D scored by the deadline: the chat's ratings not closed yet. Added by the script that
 *                               opens the rating, removed when its closing has run (RatingService.close), read at start
 *                               to plan the closings again (src/app/replan-ratings.ts). Per chat, not global: a duty's
 *                               keys are in its chat's slot (src/store/keys.ts), so on a Redis Cluster too the one
 *                               script writes the rating and its index entry, and no crash can leave one without the
 *                               other (a global index would be written after the script, and need a repair at start).
 *   P:ratings:indexed   string  set once the ratings opened before that index existed have been indexed (the
 *                               one-time pass of src/app/replan-ratings.ts)
 *   P:rating:seal-key   string  hex of 32 random bytes: the seals' secret when RATING_SEAL_KEY is unset (SET NX)
 */

/**
 * KEYS: 1 rating, 2 counts, 3 raters. ARGV: 1 member, 2 new choice, 3 old choice ('' when the click carries no
 * seal), 4 the seal's version ('' likewise), 5 now.
 * Returns { outcome, version }: 'rated' (first), 'changed', 'unchanged', 'already' (rated before, no seal: the
 * click came from the shared card or is a replay of the first), 'stale' (a seal of an earlier version: an old
 * card, a replayed click), 'closed', 'missing'. Only 'rated' and 'changed' write, in this one script.
 */
const RATE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return { 'missing', 0 } end
local ok, rating = pcall(cjson.decode, raw)
if not ok or type(rating) ~= 'table' or type(rating.closesAt) ~= 'number' then return redis.error_reply('damaged rating ' .. KEYS[1]) end
if tonumber(ARGV[5]) >= rating.closesAt then return { 'closed', 0 } end
local cur = tonumber(redis.call('HGET', KEYS[3], ARGV[1]))
if not cur then
  if ARGV[3] ~= '' then return { 'stale', 0 } end
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  redis.call('HSET', KEYS[3], ARGV[1], 1)
  return { 'rated', 1 }
end
if ARGV[3] == '' then return { 'already', cur } end
if tonumber(ARGV[4]) ~= cur then return { 'stale', cur } end
if ARGV[3] == ARGV[2] then return { 'unchanged', cur } end
redis.call('HINCRBY', KEYS[2], ARGV[3], -1)
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('HSET', KEYS[3], ARGV[1], cur + 1)
return { 'changed', cur + 1 }
`;

/**
 * KEYS: 1 rating, 2 counts, 3 the chat's open ratings. ARGV: 1 rating JSON, 2 its deadline, 3 the duty's id, 4… the
 * choices. 1 when opened, 0 when it was open already.
 */
const OPEN = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 0 end
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
for i = 4, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], 0) end
return 1
`;

/** A rating's entry in its chat's index of open ratings. */
export interface OpenRatingEntry {
  /** `<platform>:<chatId>`. */
  readonly chat: string;
  readonly dutyId: string;
}

/** Chats whose indexes are read per round trip (as DutyRepo.repairOpenIndex reads theirs). */
const CHATS_PER_READ = 50;

export type { RateOutcome } from '../domain/rating';

export class RatingRepo extends RecordRepo {
  private ratingKey = (id: string): string => this.keys.inRecord(id, 'rating', id);
  private countsKey = (id: string): string => this.keys.inRecord(id, 'rating', id, 'counts');
  private ratersKey = (id: string): string => this.keys.inRecord(id, 'rating', id, 'raters');
  private cardsKey = (id: string): string => this.keys.inRecord(id, 'rating', id, 'cards');
  private openKey = (chat: string): string => this.keys.chat(chat, 'ratings');
  private indexedKey = (): string => this.keys.k('ratings', 'indexed');

  /**
   * Open the rating, its counts at 0, and index it among its chat's open ratings, in one script; false (nothing
   * written) when the duty's rating was opened before.
   */
  async open(rating: Rating): Promise<boolean> {
    const keys = [this.ratingKey(rating.dutyId), this.countsKey(rating.dutyId), this.openKey(chatKey(rating.chat))];
    const json = JSON.stringify(ratingSchema.parse(rating));
    return (await runScript(this.redis, OPEN, keys.length, ...keys, json, String(rating.closesAt), rating.dutyId, ...RATING_CHOICES)) === 1;
  }

  /** The rating's closing has run: it leaves its chat's index of open ratings. */
  async closed(entry: OpenRatingEntry): Promise<void> {
    await this.redis.zrem(this.openKey(entry.chat), entry.dutyId);
  }

  /** Index ratings among their chats' open ones (ZADD NX: an entry already there stays). Returns how many were added. */
  async index(ratings: readonly Rating[]): Promise<number> {
    let added = 0;
    for (const r of ratings) added += await this.redis.zadd(this.openKey(chatKey(r.chat)), 'NX', String(r.closesAt), r.dutyId);
    return added;
  }

  /** Every chat's index of open ratings (P:chats), CHATS_PER_READ chats per round trip. */
  async *openPages(): AsyncGenerator<OpenRatingEntry[]> {
    const chats = await this.redis.smembers(this.keys.k('chats'));
    for (let i = 0; i < chats.length; i += CHATS_PER_READ) {
      const slice = chats.slice(i, i + CHATS_PER_READ);
      const ids = await Promise.all(slice.map((c) => this.redis.zrange(this.openKey(c), '0', '-1')));
      const page = slice.flatMap((chat, j) => (ids[j] ?? []).map((dutyId) => ({ chat, dutyId })));
      if (page.length > 0) yield page;
    }
  }

  /**
   * The ratings of every duty of every chat (its `all` index, P:chat:C:all), CHATS_PER_READ chats a page: what the
   * one-time indexing of the ratings opened before the index existed reads. A damaged rating is reported and left out.
   */
  async *everyRatingPages(): AsyncGenerator<Rating[]> {
    const chats = await this.redis.smembers(this.keys.k('chats'));
    for (let i = 0; i < chats.length; i += CHATS_PER_READ) {
      const ids = (await Promise.all(chats.slice(i, i + CHATS_PER_READ).map((c) => this.redis.zrange(this.keys.chat(c, 'all'), '0', '-1')))).flat();
      // Years of duties: MGET a thousand at a time.
      for (let j = 0; j < ids.length; j += 1000) {
        const page = [...(await this.ratingsOf(ids.slice(j, j + 1000), true)).values()];
        if (page.length > 0) yield page;
      }
    }
  }

  /**
   * The ratings of these duties, keyed by duty id (duties without one left out): one MGET per slot. A damaged rating
   * throws, as `get` does; with `leaveOutDamaged` it is reported (DamageReport) and left out, so a pass over many
   * ratings goes on past it.
   */
  async ratingsOf(dutyIds: readonly string[], leaveOutDamaged = false): Promise<Map<string, Rating>> {
    const raws = await mgetByRecord(this.redis, this.keys, dutyIds, this.ratingKey);
    const out = new Map<string, Rating>();
    dutyIds.forEach((id, i) => {
      const raw = raws[i];
      if (raw === null || raw === undefined) return;
      const rating = tryRecord(ratingSchema, raw, this.ratingKey(id));
      if (!(rating instanceof DamagedRecord)) out.set(id, rating);
      else if (leaveOutDamaged) this.report(rating);
      else throw rating;
    });
    return out;
  }

  /** Whether the ratings opened before the index existed have been indexed (see `markIndexed`). */
  async wereIndexed(): Promise<boolean> {
    return (await this.redis.exists(this.indexedKey())) === 1;
  }

  async markIndexed(now: number): Promise<void> {
    await this.redis.set(this.indexedKey(), String(now), 'NX');
  }

  async get(dutyId: string): Promise<Rating | undefined> {
    const key = this.ratingKey(dutyId);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : parseRecord(ratingSchema, raw, key);
  }

  /**
   * The ratings of many duties with their counts and number of raters, keyed by duty id (duties without a rating
   * left out): one MGET, then one pipeline for those that have one (each per slot on a cluster). A damaged rating throws, as `get` does.
   */
  async getMany(dutyIds: readonly string[]): Promise<Map<string, { rating: Rating; counts: RatingCounts; rated: number }>> {
    const out = new Map<string, { rating: Rating; counts: RatingCounts; rated: number }>();
    if (dutyIds.length === 0) return out;
    const found = [...(await this.ratingsOf(dutyIds))].map(([id, rating]) => ({ id, rating }));
    if (found.length === 0) return out;
    const res = await pipelineByTag(this.redis, found, ({ id }) => this.keys.tag(this.keys.bucketOfId(id)), 2, (pipeline, { id }) => pipeline.hgetall(this.countsKey(id)).hlen(this.ratersKey(id)));
    found.forEach(({ id, rating }, i) => out.set(id, { rating, counts: countsOf(res[i]?.[0] as Record<string, string>), rated: Number(res[i]?.[1] ?? 0) }));
    return out;
  }

  /** One click, atomically (the RATE script above). */
  async rate(dutyId: string, memberId: string, choice: RatingChoice, old: { choice: RatingChoice; version: number } | undefined, now: number): Promise<{ outcome: RateOutcome; version: number }> {
    const keys = [this.ratingKey(dutyId), this.countsKey(dutyId), this.ratersKey(dutyId)];
    const res = (await runScript(this.redis, RATE, keys.length, ...keys, memberId, choice, old?.choice ?? '', old ? String(old.version) : '', String(now))) as [string, number];
    return { outcome: res[0] as RateOutcome, version: Number(res[1]) };
  }

  async counts(dutyId: string): Promise<RatingCounts> {
    return countsOf(await this.redis.hgetall(this.countsKey(dutyId)));
  }

  async ratedCount(dutyId: string): Promise<number> {
    return this.redis.hlen(this.ratersKey(dutyId));
  }

  /** Who has rated (the raters hash's fields; its values are change counters, never choices). */
  async raters(dutyId: string): Promise<Set<string>> {
    return new Set(await this.redis.hkeys(this.ratersKey(dutyId)));
  }

  async addCard(dutyId: string, ref: MessageRef): Promise<void> {
    await this.redis.rpush(this.cardsKey(dutyId), JSON.stringify(messageRefSchema.parse(ref)));
  }

  async cards(dutyId: string): Promise<MessageRef[]> {
    const key = this.cardsKey(dutyId);
    return keepParsed(messageRefSchema, key, (await this.redis.lrange(key, 0, -1)).map((raw, i) => [String(i), raw] as const), this.report);
  }

  /** The seals' secret: the configured one, else 32 random bytes made once and shared through Redis. */
  async sealSecret(configured: string | undefined): Promise<Buffer> {
    if (configured) return Buffer.from(configured, 'utf8');
    const key = this.keys.k('rating', 'seal-key');
    await this.redis.set(key, randomBytes(32).toString('hex'), 'NX');
    const stored = await this.redis.get(key);
    if (!stored || !/^[0-9a-f]{64}$/.test(stored)) throw new Error(`rating seal key ${key} is missing or malformed`);
    return Buffer.from(stored, 'hex');
  }
}

function countsOf(raw: Record<string, string>): RatingCounts {
  const counts = emptyCounts();
  for (const c of RATING_CHOICES) counts[c] = Math.max(0, Number(raw[c] ?? 0) || 0);
  return counts;
}
