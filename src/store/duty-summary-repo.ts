import { dutySummarySchema, type DutySummary } from '../domain/duty-summary';
import { DutyCodec } from './duty-codec';
import { chatKey, type ChatRef, type Duty } from '../domain/types';
import { DamagedRecord } from '../errors';
import { tryRecord } from './records';
import { mapByTag, mgetByRecord } from './slot-groups';
import { RecordRepo } from './repo-base';

/*
 * The circular's summaries of ended duties (src/domain/duty-summary.ts), beside the duty's own keys
 * (src/store/duty-repo.ts lists the layout; P = key prefix, D = duty id, C = `<platform>:<chatId>`):
 *   P:duty:D:summary   string  JSON DutySummary, with the revision (P:duty:D:rev) it was computed at
 * A summary is used only while the duty's revision is still the one it carries. Every write that changes what a
 * summary counts bumps the revision atomically with the change: an answer (duty-scripts.ts WRITE_ANSWER), a sign-in
 * or its correction or revocation (signin-repo.ts WRITE_SIGNIN / REVOKE_SIGNIN), minutes (minutes-repo.ts MULTI),
 * an edit, cancellation or audience change (DutyRepo.update MULTI), creation (CREATE_DUTIES). The revision is read
 * before the records a summary is computed from, so a summary never carries a revision newer than its records; and
 * since the revision only grows, a summary computed from records newer than its revision is never matched again.
 * No TTL: a cache of records kept as long as they are. Left out of backups (src/store/backup/backup-format.ts
 * EXCLUDED): a restore removes every key under the prefix, and the summaries are computed again.
 */

/**
 * KEYS: 1 the duty's revision, 2 its summary. ARGV: 1 the revision the summary was computed at, 2 the summary JSON.
 * Written only if the revision has not moved since (else a newer write exists, and the summary would never be used).
 * Returns 1 when written, 0 otherwise.
 */
const WRITE_SUMMARY = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

/** One duty of a period as stored: its revision now and its summary, if one was stored (any revision). */
export interface StoredSummary {
  readonly id: string;
  readonly rev: number;
  readonly summary?: DutySummary;
}

export class DutySummaryRepo extends RecordRepo {
  /** Reads duties as DutyRepo stores them (src/store/duty-codec.ts). */
  private readonly codec = new DutyCodec(this.redis, this.keys, this.report);

  private dutyKey = (id: string): string => this.keys.duty(id);
  private revKey = (id: string): string => this.keys.duty(id, 'rev');
  private summaryKey = (id: string): string => this.keys.duty(id, 'summary');
  private allKey = (chat: ChatRef): string => this.keys.chat(chatKey(chat), 'all');

  /**
   * Every duty of the chat whose time is in [from, to] (as DutyRepo.listByPeriod), oldest first, with its revision
   * and stored summary: two commands (ZRANGEBYSCORE, one MGET of the revisions and summaries). A summary that does
   * not parse is left out (it is recomputed and replaced) and reported.
   */
  async period(chat: ChatRef, from: number, to: number): Promise<StoredSummary[]> {
    const ids = await this.redis.zrangebyscore(this.allKey(chat), String(from), String(to));
    if (ids.length === 0) return [];
    // A chat's duties share its slot: one MGET (src/store/keys.ts).
    const raws = await this.redis.mget(...ids.flatMap((id) => [this.revKey(id), this.summaryKey(id)]));
    return ids.map((id, i) => {
      const rev = Number(raws[2 * i] ?? 0);
      const raw = raws[2 * i + 1];
      if (raw === null || raw === undefined) return { id, rev };
      const summary = tryRecord(dutySummarySchema, raw, this.summaryKey(id));
      if (summary instanceof DamagedRecord) {
        this.report(summary);
        return { id, rev };
      }
      return { id, rev, summary };
    });
  }

  /** The duties of `ids` (one MGET), in that order; a missing or damaged one is left out (and reported). */
  async duties(ids: readonly string[]): Promise<Duty[]> {
    if (ids.length === 0) return [];
    const keys = ids.map((id) => this.dutyKey(id));
    return this.codec.decodeMany(keys, await mgetByRecord(this.redis, this.keys, ids, this.dutyKey));
  }

  /** Store summaries (one pipeline), each only if its duty's revision is still the one it carries. */
  async save(summaries: readonly DutySummary[]): Promise<void> {
    if (summaries.length === 0) return;
    // One pipeline per slot on a cluster (summaries of many chats' duties); each script's error (if any) is its own:
    // a summary not written is computed again next time.
    await mapByTag(summaries, (s) => this.keys.tag(this.keys.bucketOfId(s.id)), async (group) => {
      const pipeline = this.redis.pipeline();
      for (const s of group) pipeline.eval(WRITE_SUMMARY, 2, this.revKey(s.id), this.summaryKey(s.id), String(s.rev), JSON.stringify(dutySummarySchema.parse(s)));
      await pipeline.exec();
      return group;
    });
  }
}
