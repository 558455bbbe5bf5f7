import { UnrecoverableError } from 'bullmq';
import { PlatformError } from '../errors';
import type { MessageRef } from '../platforms/port';
import type { DutyRepo } from '../store/duty-repo';
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

/**
 * Permanent platform errors (chat gone, bot removed) must not be retried (UnrecoverableError,
 * https://docs.bullmq.io/guide/retrying-failing-jobs#stop-retrying-jobs): the job fails at once,
 * and `onPermanent` marks the duty so the failure is visible, not only in a log line.
 */
export async function rethrowForQueue(err: unknown, onPermanent?: (e: PlatformError) => Promise<void>): Promise<never> {
  if (err instanceof PlatformError && err.permanent) {
    await onPermanent?.(err).catch(() => undefined);
    throw new UnrecoverableError(`${err.platformCode ?? ''} ${err.message}`.trim());
  }
  throw err;
}

/** Record on the duty that the platform refused a send for good. */
export async function markDeliveryFailed(duties: DutyRepo, dutyId: string, err: PlatformError, now: number): Promise<void> {
  const code = String(err.platformCode ?? err.code);
  await duties.update(dutyId, (d) =>
    d.deliveryError?.code === code
      ? 'already marked'
      : {
          duty: { ...d, deliveryError: { code, detail: err.message, at: now } },
          entry: { type: 'delivery-failed', at: now, by: 'system', code, detail: err.message },
        },
  );
}
