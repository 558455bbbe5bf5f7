import { z } from 'zod';
import { chatRefSchema, memberNameSchema } from '../../domain/record-schemas';
import type { Assert, SameShape } from '../../domain/same-shape';
import type { Material, PendingUpload } from './material-types';

/** A file attached to a duty (src/store/files/material-repo.ts). */
export const materialSchema = z.object({
  id: z.string(),
  dutyId: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  type: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  by: memberNameSchema,
  at: z.number(),
});

/** A file received and kept, waiting for its sender to choose the duty it belongs to. */
export const pendingUploadSchema = materialSchema.omit({ dutyId: true }).extend({ chat: chatRefSchema, messageId: z.string(), direct: z.boolean().optional() });

type _Material = Assert<SameShape<z.output<typeof materialSchema>, Material>>;
type _PendingUpload = Assert<SameShape<z.output<typeof pendingUploadSchema>, PendingUpload>>;
