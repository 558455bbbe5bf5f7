import { UnrecoverableError } from 'bullmq';
import { PlatformError } from '../errors';
import type { MessageRef } from '../platforms/port';
import type { SentLog } from '../store/sent-log';

/**
 * Send at most once per key across retries: a key found in the sent log is not sent again. The same key goes
 * to the platform as its idempotency key, which covers a crash between the send and the record.
 */
export async function sendOnce(
  sent: SentLog,
  key: string,
  send: (idempotencyKey: string) => Promise<MessageRef>,
): Promise<{ ref: MessageRef; fresh: boolean }> {
  const existing = await sent.get(key);
  if (existing) return { ref: existing, fresh: false };
  const ref = await send(key);
  await sent.record(key, ref);
  return { ref, fresh: true };
}

/** Permanent platform errors (chat gone, bot removed) must not be retried (style rule 7). */
export function rethrowForQueue(err: unknown): never {
  if (err instanceof PlatformError && err.permanent) {
    throw new UnrecoverableError(`${err.platformCode ?? ''} ${err.message}`.trim());
  }
  throw err;
}
