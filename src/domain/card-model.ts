import { z } from 'zod';
import { unitNameSchema } from './units';

/**
 * The platform-neutral card. Each adapter renders it (sandbox HTML, Feishu JSON 2.0, DingTalk template data).
 * Button values are typed objects, checked with zod when they come back.
 */
export const cardActionSchema = z.enum(['attend', 'leave', 'submit']);
export type CardAction = z.infer<typeof cardActionSchema>;

export const cardValueSchema = z
  .object({
    v: z.literal(1),
    duty: z.string().regex(/^[a-z0-9]{6,32}$/),
    act: cardActionSchema,
  })
  .strict();
export type CardValue = z.infer<typeof cardValueSchema>;

/** The buttons of a preview (issue 12): 发起 creates the author's draft `draft`, 取消 drops it. */
export const previewValueSchema = z
  .object({
    v: z.literal(1),
    draft: z.string().regex(/^[a-z0-9]{6,32}$/),
    act: z.enum(['draft-create', 'draft-drop']),
  })
  .strict();
export type PreviewValue = z.infer<typeof previewValueSchema>;

/** A choice on the card that answers a file (issue 14): attach upload `upload` to duty `duty`. */
export const attachValueSchema = z
  .object({
    v: z.literal(1),
    upload: z.string().regex(/^[a-z0-9]{6,32}$/),
    duty: z.string().regex(/^[a-z0-9]{6,32}$/),
    act: z.literal('attach'),
  })
  .strict();
export type AttachValue = z.infer<typeof attachValueSchema>;

/** The 签到 button of a meeting whose sign-in window is open (src/domain/signin.ts). */
export const signinValueSchema = z
  .object({
    v: z.literal(1),
    duty: z.string().regex(/^[a-z0-9]{6,32}$/),
    act: z.literal('signin'),
  })
  .strict();
export type SigninValue = z.infer<typeof signinValueSchema>;
/** A parent on the card answering 本群 … without 上级 (issue 15): pending registration `pending` goes under `parent`. */
export const unitParentValueSchema = z
  .object({
    v: z.literal(1),
    pending: z.string().regex(/^[a-z0-9]{6,32}$/),
    parent: unitNameSchema,
    act: z.literal('unit-parent'),
  })
  .strict();
export type UnitParentValue = z.infer<typeof unitParentValueSchema>;

/**
 * A 述职评议 button (src/domain/rating.ts): the choice, and on the clicker's own card their current choice sealed
 * (src/app/rating-seal.ts), so a change can take it off its count without the store knowing it.
 */
export const ratingValueSchema = z
  .object({
    v: z.literal(1),
    duty: z.string().regex(/^[a-z0-9]{6,32}$/),
    act: z.literal('rate'),
    choice: z.enum(['good', 'fair', 'average', 'poor']),
    seal: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/).optional(),
  })
  .strict();
export type RatingValue = z.infer<typeof ratingValueSchema>;
export type ButtonValue = CardValue | PreviewValue | AttachValue | SigninValue | UnitParentValue | RatingValue;

/** Every button's value, as it comes back from a click. */
export const buttonValueSchema = z.union([cardValueSchema, previewValueSchema, attachValueSchema, signinValueSchema, unitParentValueSchema, ratingValueSchema]);

export type CardColor = 'blue' | 'green' | 'orange' | 'red' | 'grey' | 'purple';

export interface CardButton {
  readonly label: string;
  readonly value: ButtonValue;
  readonly style: 'primary' | 'default' | 'danger';
  /** The platform asks for a reason before sending the click (请假), or a code (签到 with 签到码). */
  readonly reasonPrompt?: string;
  /** The text that does what the button does (附件 #7), shown where the button cannot be (a card without buttons). */
  readonly command?: string;
}

export interface CardGroup {
  readonly label: string;
  readonly entries: readonly { readonly name: string; readonly note?: string }[];
  /** One entry a line, as a table's rows (通报's units), rather than a list of names on one line. */
  readonly rows?: boolean;
  /** How many entries the group stands for when it lists fewer (the rest are elsewhere, e.g. on a page). */
  readonly total?: number;
}

export interface CardModel {
  readonly header: { readonly title: string; readonly subtitle: string; readonly color: CardColor };
  /** A banner above everything: 已取消, 提醒：还有 1小时, … */
  readonly banner?: string;
  readonly fields: readonly { readonly label: string; readonly value: string; readonly href?: string }[];
  /** `参加 N · 请假 N · 未回复 N` or `已提交 N · 未提交 N`. */
  readonly tally: string;
  readonly groups: readonly CardGroup[];
  readonly buttons: readonly CardButton[];
  readonly footer: string;
}
