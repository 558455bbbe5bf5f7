import { z } from 'zod';
import { chatRefSchema, memberNameSchema } from './record-schemas';
import type { Rating } from './rating';
import type { Assert, SameShape } from './same-shape';

/** The zod schema of a stored rating (src/domain/rating.ts), parsed on every read by src/store/rating-repo.ts. */
export const ratingSchema = z.object({
  dutyId: z.string(),
  chat: chatRefSchema,
  number: z.number().int(),
  title: z.string(),
  organizer: memberNameSchema,
  openedAt: z.number(),
  closesAt: z.number(),
  audience: z.array(z.string()),
});

type _Rating = Assert<SameShape<z.output<typeof ratingSchema>, Rating>>;
