import { z } from 'zod';
import { platformNameSchema } from '../../domain/record-schemas';
import type { Assert, SameShape } from '../../domain/same-shape';
import type { MessageRef } from '../../platforms/port';

/** A sent message as the store keeps it (duty and campaign cards, the sent log). */
export const messageRefSchema = z.object({
  platform: platformNameSchema,
  chatId: z.string(),
  messageId: z.string(),
  sentAt: z.number().optional(),
});

type _MessageRef = Assert<SameShape<z.output<typeof messageRefSchema>, MessageRef>>;
