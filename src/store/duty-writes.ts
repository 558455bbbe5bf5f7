import type { AnswerDecision } from '../domain/answers';
import type { Answer, ChatRef, Duty } from '../domain/types';
import type { DedupeClaim } from './dedupe';

/* The inputs and outcomes of the duty repository's writes (src/store/duty-repo.ts). */

export type NewDuty = Omit<Duty, 'id' | 'number' | 'state' | 'createdAt' | 'updatedAt'>;

/** Creation happens only while `key` (or, with `field`, that field of the hash at `key`) is absent; it is then set to the duty's id. */
export interface CreateGuard {
  readonly key: string;
  readonly field?: string;
}

export type DutyUpdate = { ok: true; duty: Duty; previous: Duty } | { ok: false; reason: string };

export type AnswerWrite = AnswerDecision & {
  readonly duty: Duty;
  /** The duty's revision after the write (only when something was written). */
  readonly rev?: number;
  /** Every member's answer after the write, read in the same round trip as the duty (a card needs no other read). */
  readonly answers: Map<string, Answer>;
  /**
   * True when a refresh of the duty's cards was already queued by an earlier answer and had not started when this
   * one was written: that refresh will render this answer too, so none need be queued for it.
   */
  readonly refreshQueued?: boolean;
};

export interface AnswerOptions {
  /** The chat the answer comes from: a duty of another chat is treated as missing (a replayed or forged card value). */
  readonly chat?: ChatRef;
  /** The platform's id of this delivery (a click), taken once in the same transaction. */
  readonly claim?: DedupeClaim;
  /** When the member acted, as the platform says (epoch ms): compared with the current answer's (decideAnswer). */
  readonly actedAt?: number;
}
