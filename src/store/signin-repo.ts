import { runScript } from './run-script';
import { historyEntrySchema } from '../domain/record-schemas';
import type { SigninRecord } from '../domain/signin';
import { signinRecordSchema } from '../domain/signin-schemas';
import type { HistoryEntry } from '../domain/types';
import { checked, keepFields } from './records';
import { RecordRepo } from './repo-base';

/*
 * Sign-ins (签到) of a duty (src/domain/signin.ts). Key layout (P = key prefix, D = duty id), beside the duty's own
 * keys (src/store/duty-repo.ts), no TTLs (records):
 *   P:duty:D:signins       hash    memberId -> JSON SigninRecord (present or absent, when, late, by whom, how)
 *   P:duty:D:signin-wrong  hash    memberId -> wrong codes given so far
 *   P:duty:D:signin-code   string  the 4-digit code (签到码 开), kept plain: the organizer may be sent it again, and
 *                                  it only opens sign-in to this one meeting during its window
 *   P:duty:D:history       list    the duty's history: every sign-in and correction is appended by the same script
 *   P:duty:D:rev           counter bumped with each change (as DutyRepo does)
 * Records are parsed with zod when read (src/store/records.ts); a damaged one is left out and reported.
 */

/**
 * KEYS: 1 sign-ins hash, 2 history, 3 revision. ARGV: 1 member, 2 record JSON, 3 history entry JSON, 4 'self' (a
 * member signing in: nothing written when already present) or 'set' (a secretary's correction: always written).
 * Returns { 1, revision } when written, { 0, the present record } when the member had signed in already.
 */
const WRITE_SIGNIN = `
if ARGV[4] == 'self' then
  local cur = redis.call('HGET', KEYS[1], ARGV[1])
  if cur then
    local ok, rec = pcall(cjson.decode, cur)
    if ok and type(rec) == 'table' and rec.status == 'present' then return { 0, cur } end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[3])
return { 1, redis.call('INCR', KEYS[3]) }
`;

/** KEYS: 1 sign-ins hash, 2 history, 3 revision. ARGV: 1 member, 2 history entry JSON. 1 when removed, 0 when none. */
const REVOKE_SIGNIN = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('INCR', KEYS[3])
return 1
`;

/** KEYS: 1 code. ARGV: 1 a fresh code. The code kept: the one already there, else the fresh one. */
const TAKE_CODE = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`;

export type SigninWrite = { readonly ok: true; readonly record: SigninRecord } | { readonly ok: false; readonly existing: SigninRecord };

export class SigninRepo extends RecordRepo {
  private signinsKey = (id: string): string => this.keys.duty(id, 'signins');
  private wrongKey = (id: string): string => this.keys.duty(id, 'signin-wrong');
  private codeKey = (id: string): string => this.keys.duty(id, 'signin-code');
  private historyKey = (id: string): string => this.keys.duty(id, 'history');
  private revKey = (id: string): string => this.keys.duty(id, 'rev');

  /** Every member's record; a damaged one is left out (the member counts as not signed in) and reported. */
  async records(dutyId: string): Promise<Map<string, SigninRecord>> {
    const key = this.signinsKey(dutyId);
    return keepFields(signinRecordSchema, key, Object.entries(await this.redis.hgetall(key)), this.report);
  }

  /**
   * Write a member's record with its history entry, atomically. `self`: a member's own sign-in, refused (nothing
   * written) when they are already present; otherwise a secretary's correction, which always replaces.
   */
  async write(dutyId: string, memberId: string, record: SigninRecord, entry: HistoryEntry, self: boolean): Promise<SigninWrite> {
    const keys = [this.signinsKey(dutyId), this.historyKey(dutyId), this.revKey(dutyId)];
    const res = (await runScript(this.redis, WRITE_SIGNIN, keys.length, ...keys, memberId, JSON.stringify(signinRecordSchema.parse(record)), JSON.stringify(historyEntrySchema.parse(entry)), self ? 'self' : 'set')) as [number, number | string];
    if (res[0] === 1) return { ok: true, record };
    const existing = checked(signinRecordSchema, JSON.parse(String(res[1])), keys[0] ?? '', memberId);
    if (existing instanceof Error) {
      this.report(existing);
      return { ok: true, record };
    }
    return { ok: false, existing };
  }

  /** 撤销签到: remove the member's record, with its history entry; false when there was none (nothing written). */
  async revoke(dutyId: string, memberId: string, entry: HistoryEntry): Promise<boolean> {
    const keys = [this.signinsKey(dutyId), this.historyKey(dutyId), this.revKey(dutyId)];
    return (await runScript(this.redis, REVOKE_SIGNIN, keys.length, ...keys, memberId, JSON.stringify(historyEntrySchema.parse(entry)))) === 1;
  }

  /** Wrong codes the member has given for this duty. */
  async wrongCodes(dutyId: string, memberId: string): Promise<number> {
    return Number((await this.redis.hget(this.wrongKey(dutyId), memberId)) ?? 0);
  }

  /** Count one more wrong code; the count after it. */
  async addWrongCode(dutyId: string, memberId: string): Promise<number> {
    return this.redis.hincrby(this.wrongKey(dutyId), memberId, 1);
  }

  /** The duty's code, set to `fresh` when it has none yet (the first to ask fixes it). */
  async takeCode(dutyId: string, fresh: string): Promise<string> {
    return String(await runScript(this.redis, TAKE_CODE, 1, this.codeKey(dutyId), fresh));
  }

  async code(dutyId: string): Promise<string | undefined> {
    return (await this.redis.get(this.codeKey(dutyId))) ?? undefined;
  }
}
