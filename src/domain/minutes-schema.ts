import { z } from 'zod';
import type { Minutes } from './minutes';
import type { Assert, SameShape } from './same-shape';

/** A duty's minutes as stored (src/store/minutes-repo.ts), parsed on every read (src/store/records.ts). */
export const minutesSchema = z.object({
  text: z.string(),
  by: z.object({ id: z.string(), name: z.string() }),
  at: z.number(),
});

type _Minutes = Assert<SameShape<z.output<typeof minutesSchema>, Minutes>>;
