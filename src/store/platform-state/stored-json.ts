import type { z } from 'zod';

/**
 * A JSON record read back from Redis, checked against its schema: a record written by an older version or damaged
 * by hand is reported with its key, never half-used.
 */
export function parseStored<T>(schema: z.ZodType<T>, raw: string, key: string): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`${key}: the stored record is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${key}: the stored record does not match its schema (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return parsed.data;
}
