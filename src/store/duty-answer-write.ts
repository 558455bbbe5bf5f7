import { createHash } from 'node:crypto';
import { decideAnswer, REPLAYED } from '../domain/answers';
import { answerSchema } from '../domain/record-schemas';
import type { Answer, AnswerStatus, Duty, HistoryEntry } from '../domain/types';
import { chatKey } from '../domain/types';
import type { DutyCodec } from './duty-codec';
import { READ_ANSWER_STATE, WRITE_ANSWER } from './duty-scripts';
import type { AnswerOptions, AnswerWrite } from './duty-writes';
import { bucket } from './keys';
import { keepJoinedFields, type DamageReport } from './records';
import type { Keys } from './redis';
import type { StoreConnection } from './redis-cluster';
import { runScript } from './run-script';

/**
 * The refresh flag lives this long at most. It is normally taken by the refresh job within REFRESH_DELAY_MS; the
 * lifetime only bounds how long answers would skip queueing a refresh should a process die between writing an
 * answer that set the flag and queueing that refresh.
 */
export const REFRESH_FLAG_MS = 2000;

/** Members' answers to a duty (DutyRepo.answer), on the keys src/store/duty-repo.ts lays out. */
export class DutyAnswerWriter {
  constructor(
    private readonly redis: StoreConnection,
    private readonly keys: Keys,
    private readonly codec: DutyCodec,
    private readonly report: DamageReport,
    /** The answers hash read field by field (when a damaged answer breaks the joined read). */
    private readonly readAnswers: (dutyId: string) => Promise<Map<string, Answer>>,
  ) {}

  /**
   * Record a member's answer atomically, by compare-and-set (src/store/duty-scripts.ts): one script reads the
   * duty, every answer, the member's answer version and whether the click's claim is taken; the decision is taken
   * on that state; a second script writes the answer, the history entry, the revision, the claim and the refresh
   * flag only if the member's version and the duty are still what was read, else everything is read again.
   * Undefined when the duty does not exist (or is not of `options.chat`).
   *
   * With `claim`, a delivery already taken is refused as `replayed`, and a refused answer still takes its claim:
   * a captured click replayed later can never change an answer given since.
   */
  async answer(
    dutyId: string,
    memberId: string,
    status: Exclude<AnswerStatus, 'pending'>,
    now: number,
    reason?: string,
    options: AnswerOptions = {},
  ): Promise<AnswerWrite | undefined> {
    const claim = options.claim;
    // A duty of another chat (a forged or replayed card value) is missing; on a cluster its keys are in another slot.
    if (options.chat && this.keys.spreads && this.keys.bucketOfId(dutyId) !== bucket(chatKey(options.chat))) return undefined;
    const dutyKey = this.keys.duty(dutyId);
    const versionKey = this.keys.duty(dutyId, 'v', memberId);
    const readKeys = [dutyKey, this.keys.duty(dutyId, 'answers'), versionKey, ...(claim ? [claim.key] : [])];
    const writeKeys = [dutyKey, this.keys.duty(dutyId, 'answers'), versionKey, this.keys.duty(dutyId, 'history'), this.keys.duty(dutyId, 'rev'), this.keys.duty(dutyId, 'refresh'), ...(claim ? [claim.key] : [])];
    for (let attempt = 0; attempt < 20; attempt++) {
      const [rawDuty, rawAnswers, version, taken] = (await runScript(this.redis, READ_ANSWER_STATE, readKeys.length, ...readKeys)) as [string | null, string, string, number];
      if (!rawDuty) return undefined;
      const duty = await this.codec.decode(rawDuty, dutyKey);
      if (options.chat && (duty.chat.platform !== options.chat.platform || duty.chat.chatId !== options.chat.chatId)) return undefined;
      // The answers come joined into one JSON object; when a damaged one breaks it, the hash is read field by field.
      const answers = keepJoinedFields(answerSchema, this.keys.duty(dutyId, 'answers'), rawAnswers, this.report) ?? (await this.readAnswers(dutyId));
      if (taken === 1) return replayed(duty, answers);
      const decision = decideAnswer(duty, memberId, status, answers.get(memberId), now, reason, options.actedAt);
      if (!decision.ok) {
        // Refused, nothing to write but the claim (taken so that a replay cannot land later, when it might pass).
        if (claim && (await this.redis.set(claim.key, '1', 'EX', claim.ttlSeconds, 'NX')) !== 'OK') return replayed(duty, answers);
        return { ...decision, duty, answers };
      }
      const entry: HistoryEntry = {
        type: 'answer',
        at: now,
        by: memberId,
        status,
        previous: decision.previous,
        ...(decision.answer.reason ? { reason: decision.answer.reason } : {}),
      };
      // An open audience (no roster known) grows with each member who answers, in the same script.
      const grown = decision.joins ? { ...duty, audience: [...duty.audience, memberId] } : undefined;
      const res = (await runScript(this.redis, 
        WRITE_ANSWER,
        writeKeys.length,
        ...writeKeys,
        version,
        createHash('sha1').update(rawDuty).digest('hex'),
        memberId,
        JSON.stringify(decision.answer),
        JSON.stringify(entry),
        grown ? this.inline(grown) : '',
        String(REFRESH_FLAG_MS),
        String(claim?.ttlSeconds ?? 0),
      )) as number[];
      if (res[0] === -1) return replayed(duty, answers);
      if (res[0] !== 1) continue; // the member answered again, or the duty changed, since the read
      answers.set(memberId, decision.answer);
      return { ...decision, duty: grown ?? duty, answers, rev: Number(res[1]), refreshQueued: res[2] === 0 };
    }
    throw new Error(`Redis answer on ${dutyKey} kept conflicting`);
  }

  /** The record of a duty whose audience stays inline (an open audience, which grows with each answer). */
  private inline(duty: Duty): string {
    const encoded = this.codec.encode(duty);
    if (encoded.audience) throw new Error('an open audience is kept inline');
    return encoded.json;
  }

}

function replayed(duty: Duty, answers: Map<string, Answer>): AnswerWrite {
  return { ...REPLAYED, duty, answers };
}
