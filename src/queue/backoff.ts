import { PlatformError } from '../errors';

/** The job option that selects `platformBackoff` (a custom BullMQ backoff strategy). */
export const PLATFORM_BACKOFF = { type: 'platform' } as const;

const BASE_MS = 1000;
const CAP_MS = 60_000;

/**
 * Retry delays: a platform that asked us to slow down (429 / 99991400, a per-chat limit, a QPS throttle) is retried
 * after the time it named, about a second, with jitter; anything else backs off exponentially from 1 s, capped at
 * 60 s, so ten attempts span about four minutes instead of eight and a half.
 * https://docs.bullmq.io/guide/retrying-failing-jobs#custom-back-off-strategies
 */
export function platformBackoff(attemptsMade: number, _type?: string, err?: Error): number {
  const jitter = (ms: number): number => Math.round(ms * (0.8 + Math.random() * 0.4));
  if (err instanceof PlatformError && err.retryAfterMs !== undefined) return jitter(Math.max(250, Math.min(err.retryAfterMs, CAP_MS)));
  return jitter(Math.min(BASE_MS * 2 ** Math.max(0, attemptsMade - 1), CAP_MS));
}
