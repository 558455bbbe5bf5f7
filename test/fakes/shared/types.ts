/** Types both fake platforms (test/fakes/feishu, test/fakes/dingtalk) share. */

/** One HTTP request the fake received, and what it answered. */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** 0 while unanswered, and for 'timeout' faults (socket destroyed without a response). */
  status: number;
  response: unknown;
  at: number;
}

/**
 * What a route answers. `text` (when set) is sent verbatim instead of JSON (HTML error pages, XML); `bytes` (when set)
 * is sent as is (a file download).
 */
export interface Reply {
  status: number;
  body: unknown;
  text?: string;
  bytes?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

/** An answer, or 'timeout': hold the request, then destroy the socket without answering. */
export type Answer = Reply | 'timeout';

/** Random faults: `rate` of the calls (0..1) get one of `kinds`, picked by a PRNG seeded with `seed`. */
export interface FaultOptions<K extends string> {
  rate: number;
  kinds: K[];
  seed?: number;
  /** Delay of a 'slow' answer; default 1000 ms. */
  slowMs?: number;
  /** How long a 'timeout' holds the request before destroying the socket; default 10000 ms. */
  timeoutMs?: number;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
