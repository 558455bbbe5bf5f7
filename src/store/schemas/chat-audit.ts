import { z } from 'zod';
import type { Assert, SameShape } from '../../domain/same-shape';
import type { ChatAudit } from '../chat-settings';

/** An entry of a chat's audit list (src/store/chat-settings.ts). */
export const chatAuditSchema = z.object({ at: z.number(), by: z.string(), what: z.string() });

type _ChatAudit = Assert<SameShape<z.output<typeof chatAuditSchema>, ChatAudit>>;
