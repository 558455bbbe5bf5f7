import { runScript } from './run-script';
import type { Minutes } from '../domain/minutes';
import { minutesSchema } from '../domain/minutes-schema';
import { answerSchema } from '../domain/record-schemas';
import type { SigninRecord } from '../domain/signin';
import { signinRecordSchema } from '../domain/signin-schemas';
import type { Answer } from '../domain/types';
import { DamagedRecord } from '../errors';
import { keepFields, tryRecord } from './records';
import { mapByTag, pipelineByTag } from './slot-groups';
import { RecordRepo } from './repo-base';

/** What 积分 reads of one duty (src/domain/points.ts DutyFacts without the duty). */
export interface DutyRecords {
  readonly answers: Map<string, Answer>;
  readonly signins: Map<string, SigninRecord>;
  /** How many sign-in records the duty has (any member): sign-in was used when there is one. */
  readonly signinCount: number;
  readonly minutes?: Minutes;
}

/**
 * One member's facts of many duties in one call. KEYS: per duty its answers hash, sign-ins hash and minutes string.
 * ARGV: 1 the member, then per duty '1' when its minutes are wanted (the member is its recorder), else '0'.
 * Returns per duty: the member's answer (or false), their sign-in (or false), the number of sign-ins, the minutes
 * (or false). Read-only.
 */
const MEMBER_FACTS = `
local out = {}
for i = 1, #KEYS, 3 do
  out[#out + 1] = redis.call('HGET', KEYS[i], ARGV[1])
  out[#out + 1] = redis.call('HGET', KEYS[i + 1], ARGV[1])
  out[#out + 1] = redis.call('HLEN', KEYS[i + 1])
  if ARGV[2 + (i - 1) / 3] == '1' then out[#out + 1] = redis.call('GET', KEYS[i + 2]) else out[#out + 1] = false end
end
return out
`;

/*
 * Reads, for many duties at once, the records points are computed from: the answers (P:duty:D:answers, DutyRepo),
 * the sign-ins (P:duty:D:signins, SigninRepo) and the minutes (P:duty:D:minutes, MinutesRepo): four commands a duty,
 * one pipeline for all (no read per duty). For one member only their fields are read (HGET), in one script call,
 * and the minutes only where asked; for a ranking, all (HGETALL). Every record is parsed with its zod schema; a damaged one is reported with its key and left out.
 */
export class PointsReads extends RecordRepo {
  private tagOf = (dutyId: string): string => this.keys.tag(this.keys.bucketOfId(dutyId));
  private key = (dutyId: string, part: string): string => this.keys.duty(dutyId, part);

  /** Every member's records of each duty (a ranking), keyed by duty id. */
  async forDuties(dutyIds: readonly string[]): Promise<Map<string, DutyRecords>> {
    if (dutyIds.length === 0) return new Map();
    const res = await pipelineByTag(this.redis, dutyIds, this.tagOf, 4, (pipeline, id) =>
      pipeline.hgetall(this.key(id, 'answers')).hgetall(this.key(id, 'signins')).hlen(this.key(id, 'signins')).get(this.key(id, 'minutes')),
    );
    return this.build(dutyIds, res.flat(), undefined);
  }

  /**
   * One member's records of each duty (their 积分), in one script call: their answer and sign-in, the duty's number of
   * sign-ins, and the minutes of the duties in `withMinutes` (those the member records).
   */
  async forMember(dutyIds: readonly string[], memberId: string, withMinutes: ReadonlySet<string>): Promise<Map<string, DutyRecords>> {
    if (dutyIds.length === 0) return new Map();
    // One script per slot on a cluster (a script's keys share one: src/store/keys.ts), one in all on one Redis.
    const res = await mapByTag(dutyIds, this.tagOf, async (group) => {
      const keys = group.flatMap((id) => [this.key(id, 'answers'), this.key(id, 'signins'), this.key(id, 'minutes')]);
      const flags = group.map((id) => (withMinutes.has(id) ? '1' : '0'));
      const flat = (await runScript(this.redis, MEMBER_FACTS, keys.length, ...keys, memberId, ...flags)) as unknown[];
      return group.map((_, i) => flat.slice(4 * i, 4 * i + 4));
    });
    return this.build(dutyIds, res.flat(), memberId);
  }

  private build(dutyIds: readonly string[], res: readonly unknown[], memberId: string | undefined): Map<string, DutyRecords> {
    const out = new Map<string, DutyRecords>();
    dutyIds.forEach((id, i) => {
      const [answers, signins, count, minutes] = res.slice(4 * i, 4 * i + 4);
      const record = minutes === null || minutes === undefined ? undefined : this.one(minutesSchema, String(minutes), this.key(id, 'minutes'));
      out.set(id, {
        answers: this.fields(answerSchema, this.key(id, 'answers'), answers, memberId),
        signins: this.fields(signinRecordSchema, this.key(id, 'signins'), signins, memberId),
        signinCount: Number(count ?? 0),
        ...(record ? { minutes: record } : {}),
      });
    });
    return out;
  }

  /** A hash read whole (an object) or one field of it (a string or null), as a map of the records that parse. */
  private fields<T>(schema: Parameters<typeof keepFields<T>>[0], key: string, value: unknown, memberId: string | undefined): Map<string, T> {
    if (memberId !== undefined) {
      if (typeof value !== 'string') return new Map();
      const record = this.one(schema, value, key, memberId);
      return record === undefined ? new Map() : new Map([[memberId, record]]);
    }
    const entries = value !== null && typeof value === 'object' ? Object.entries(value as Record<string, string>) : [];
    return keepFields(schema, key, entries, this.report);
  }

  private one<T>(schema: Parameters<typeof tryRecord<T>>[0], raw: string, key: string, field?: string): T | undefined {
    const record = tryRecord(schema, raw, key, field);
    if (record instanceof DamagedRecord) {
      this.report(record);
      return undefined;
    }
    return record;
  }
}
