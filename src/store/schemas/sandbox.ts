import { z } from 'zod';
import { buttonValueSchema, type CardModel } from '../../domain/card-model';
import { memberNameSchema } from '../../domain/record-schemas';
import type { Assert, SameShape } from '../../domain/same-shape';
import type { RichText } from '../../platforms/port';
import type { SandboxChat, SandboxMessage } from '../../platforms/sandbox/history';

/** The sandbox platform's records (src/store/sandbox-repo.ts): its chats and its messages with their cards. */

export const sandboxChatSchema = z.object({ id: z.string(), name: z.string() });

const richTextSchema = z.array(z.union([z.object({ text: z.string() }), z.object({ mention: memberNameSchema })]));

/** The neutral card (src/domain/card-model.ts) as a sandbox message carries it. */
const cardModelSchema = z.object({
  header: z.object({ title: z.string(), subtitle: z.string(), color: z.enum(['blue', 'green', 'orange', 'red', 'grey', 'purple']) }),
  banner: z.string().optional(),
  fields: z.array(z.object({ label: z.string(), value: z.string(), href: z.string().optional() })),
  tally: z.string(),
  groups: z.array(z.object({ label: z.string(), entries: z.array(z.object({ name: z.string(), note: z.string().optional() })), rows: z.boolean().optional(), total: z.number().int().optional() })),
  buttons: z.array(
    z.object({
      label: z.string(),
      value: buttonValueSchema,
      style: z.enum(['primary', 'default', 'danger']),
      reasonPrompt: z.string().optional(),
      command: z.string().optional(),
    }),
  ),
  footer: z.string(),
});

export const sandboxMessageSchema = z.object({
  id: z.string(),
  chatId: z.string(),
  from: memberNameSchema.nullable(),
  kind: z.enum(['text', 'card']),
  text: richTextSchema.optional(),
  card: cardModelSchema.optional(),
  replyTo: z.string().optional(),
  to: memberNameSchema.optional(),
  at: z.number(),
  updatedAt: z.number().optional(),
});

type _SandboxChat = Assert<SameShape<z.output<typeof sandboxChatSchema>, SandboxChat>>;
type _RichText = Assert<SameShape<z.output<typeof richTextSchema>, RichText>>;
type _CardModel = Assert<SameShape<z.output<typeof cardModelSchema>, CardModel>>;
type _SandboxMessage = Assert<SameShape<z.output<typeof sandboxMessageSchema>, SandboxMessage>>;
