import { z } from 'zod';
import { recurrenceRuleSchema, type RecurrenceRule } from '../time/recurrence-rule';
import type { DutyOptions } from './duty-options';
import { dutySchema, meetingOptionFields, memberNameSchema } from './record-schemas';
import type { Assert, SameShape } from './same-shape';
import type { ChatRef, DutyKind, Member } from './types';

/**
 * A recurring duty (系列): a rule plus a duty template, materialised ahead of time into ordinary duties
 * (src/app/series-service.ts). Kept as JSON by src/store/series-repo.ts and parsed back with `seriesSchema`.
 */
export interface Series extends DutyOptions {
  readonly id: string;
  readonly chat: ChatRef;
  readonly number: number;
  readonly kind: DutyKind;
  readonly label: string;
  readonly title: string;
  readonly rule: RecurrenceRule;
  /** The rule in Chinese words (每月最后一个工作日 15:00). */
  readonly description: string;
  readonly place?: string;
  readonly link?: string;
  readonly notes?: string;
  readonly offsets?: readonly number[];
  readonly organizer: Pick<Member, 'id' | 'name'>;
  readonly state: 'active' | 'stopped';
  /** The template it came from (启用 三会一课). The options (类别, 时长 …) are given to every occurrence. */
  readonly template?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What a series shares with its duties is checked the same way (dutySchema); the rest is its own. */
export const seriesSchema = dutySchema
  .pick({ id: true, chat: true, number: true, kind: true, label: true, title: true, place: true, link: true, notes: true, createdAt: true, updatedAt: true })
  .extend({
    rule: recurrenceRuleSchema,
    description: z.string(),
    offsets: z.array(z.number()).optional(),
    organizer: memberNameSchema,
    state: z.enum(['active', 'stopped']),
    template: z.string().optional(),
    ...meetingOptionFields,
  });

type _Series = Assert<SameShape<z.output<typeof seriesSchema>, Series>>;
