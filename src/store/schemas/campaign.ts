import { z } from 'zod';
import { chatRefSchema, dutyKindSchema, memberNameSchema, memberSchema } from '../../domain/record-schemas';
import type { Assert, SameShape } from '../../domain/same-shape';
import type { Campaign } from '../campaign-repo';

/** A campaign record (src/store/campaign-repo.ts). */
export const campaignSchema = z.object({
  id: z.string(),
  origin: chatRefSchema,
  kind: dutyKindSchema,
  label: z.string(),
  title: z.string(),
  at: z.number(),
  createdBy: memberNameSchema,
  createdAt: z.number(),
  parts: z.array(z.object({ chat: chatRefSchema, chatName: z.string(), dutyId: z.string(), number: z.number().int() })),
  // A campaign being created (src/store/campaign-repo.ts): its chats, and who organizes each chat's duty.
  state: z.literal('pending').optional(),
  targets: z.array(z.object({ chat: chatRefSchema, chatName: z.string() })).optional(),
  organizer: memberSchema.optional(),
});

type _Campaign = Assert<SameShape<z.output<typeof campaignSchema>, Campaign>>;
