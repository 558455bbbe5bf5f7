import { z } from 'zod';
import type { Assert, SameShape } from './same-shape';
import type { SigninRecord } from './signin';

/**
 * The zod schema of a member's attendance record (src/domain/signin.ts), parsed on every read by
 * src/store/signin-repo.ts, checked at compile time to describe the type exactly (src/domain/same-shape.ts).
 */
export const signinRecordSchema = z.object({
  status: z.enum(['present', 'absent']),
  at: z.number(),
  late: z.boolean().optional(),
  by: z.string(),
  how: z.enum(['text', 'button', 'code', 'corrected']),
  reason: z.string().optional(),
});

type _SigninRecord = Assert<SameShape<z.output<typeof signinRecordSchema>, SigninRecord>>;
