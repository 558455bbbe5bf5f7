import { z } from 'zod';
import { meetingOptionFields } from '../domain/record-schemas';
import { chatKey, type ChatRef } from '../domain/types';
import { DamagedRecord } from '../errors';
import { recurrenceRuleSchema } from '../time/recurrence-rule';
import { tryRecord } from './records';
import { RecordRepo } from './repo-base';

/*
 * Duties read from free writing wait here for their author's 确认 (issue 12: a preview before creating).
 * Key layout (P = key prefix, C = `<platform>:<chatId>`, U = the author's member id):
 *   P:chat:C:draft:U   string  JSON DutyDraft, expires after DRAFT_TTL_SECONDS
 * One draft per author and chat: a newer preview replaces the older one. Taking it is one GETDEL, so one
 * 确认 creates it once, however many arrive. A draft is disposable: one that does not parse (src/store/records.ts) is
 * reported with its key and read as none, so its author is asked to send the notice again.
 */

export const DRAFT_TTL_SECONDS = 30 * 60;

export const dutyDraftSchema = z.object({
  /** Named by the preview card's buttons: an older card never takes a newer draft. */
  id: z.string().regex(/^[a-z0-9]{6,32}$/).optional(),
  kind: z.enum(['meeting', 'study', 'report']),
  label: z.string().min(1),
  title: z.string().min(1),
  schedule: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('once'), at: z.number() }),
    z.object({ kind: z.literal('recurring'), rule: recurrenceRuleSchema, description: z.string() }),
  ]),
  place: z.string().optional(),
  link: z.string().optional(),
  notes: z.string().optional(),
  offsets: z.array(z.number().int().positive()).optional(),
  warning: z.string().optional(),
  /** Meeting options (issue 14): 类别, 时长, 主持人, 记录人, 议题, 签到码 开, 需附件; stored on the duty as given. */
  ...meetingOptionFields,
  /** The message the preview answered: the duty's card replies to it. */
  messageId: z.string().optional(),
});

export type DutyDraft = z.infer<typeof dutyDraftSchema>;

export class DraftRepo extends RecordRepo {
  private key = (chat: ChatRef, authorId: string): string => this.keys.chat(chatKey(chat), 'draft', authorId);

  async save(chat: ChatRef, authorId: string, draft: DutyDraft): Promise<void> {
    await this.redis.set(this.key(chat, authorId), JSON.stringify(draft), 'EX', DRAFT_TTL_SECONDS);
  }

  /** The author's draft if it is draft `id` (the card's button), removed; undefined otherwise. */
  async takeIf(chat: ChatRef, authorId: string, id: string): Promise<DutyDraft | undefined> {
    const raw = await this.redis.get(this.key(chat, authorId));
    if (raw === null) return undefined;
    const seen = this.parse(raw, this.key(chat, authorId));
    if (seen?.id !== id) return undefined;
    const taken = await this.take(chat, authorId);
    return taken?.id === id ? taken : undefined;
  }

  /** The author's draft, removed in the same step; undefined when none (or expired, or unreadable). */
  async take(chat: ChatRef, authorId: string): Promise<DutyDraft | undefined> {
    const raw = await this.redis.getdel(this.key(chat, authorId));
    return raw === null ? undefined : this.parse(raw, this.key(chat, authorId));
  }

  private parse(raw: string, key: string): DutyDraft | undefined {
    const draft = tryRecord(dutyDraftSchema, raw, key);
    if (!(draft instanceof DamagedRecord)) return draft;
    this.report(draft);
    return undefined;
  }
}
