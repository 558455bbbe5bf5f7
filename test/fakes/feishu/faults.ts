import { fail, type FailNextKind, type FaultKind, type FaultOptions, type RandomFaultKind, type Reply } from './types';

/** mulberry32: a tiny seeded PRNG, so fault sequences repeat for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEFAULT_SLOW_MS = 1000;
export const DEFAULT_TIMEOUT_MS = 10_000;

export const RATE_LIMIT_MSG = 'request trigger frequency limit';
export const FREQUENCY_MSG = 'This operation triggers the frequency limit.';

/** Decides, per API call, whether a fault replaces the normal answer. */
export class FaultPlan {
  private random: (() => number) | null = null;
  private opts: FaultOptions | null = null;
  private queue: { kind: FailNextKind; count: number }[] = [];
  private readonly variety = seededRandom(7);
  private slow = DEFAULT_SLOW_MS;
  private hold = DEFAULT_TIMEOUT_MS;

  inject(opts: FaultOptions | null): void {
    if (opts && (opts.rate < 0 || opts.rate > 1 || opts.kinds.length === 0)) {
      throw new Error('injectFaults: rate must be within [0, 1] and kinds non-empty');
    }
    this.opts = opts;
    if (opts?.slowMs !== undefined) this.slow = opts.slowMs;
    if (opts?.timeoutMs !== undefined) this.hold = opts.timeoutMs;
    this.random = opts ? seededRandom(opts.seed ?? 1) : null;
  }

  failNext(kind: FailNextKind, count = 1): void {
    if (count > 0) this.queue.push({ kind, count });
  }

  /** slowMs/timeoutMs stick until set again, so `failNext('timeout')` can use a short hold after injectFaults(null). */
  get slowMs(): number {
    return this.slow;
  }

  get timeoutMs(): number {
    return this.hold;
  }

  /** The fault for the next API call, or null. failNext entries come before random faults. */
  next(): FaultKind | null {
    const head = this.queue[0];
    if (head) {
      head.count -= 1;
      if (head.count <= 0) this.queue.shift();
      return head.kind;
    }
    if (!this.opts || !this.random) return null;
    if (this.random() >= this.opts.rate) return null;
    const kinds: RandomFaultKind[] = this.opts.kinds;
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }

  /** 5xx answers vary between a JSON body and a gateway HTML page. */
  serverError(): Reply {
    if (this.variety() < 0.5) {
      return { status: 500, body: { code: 2200, msg: 'Internal Error' } };
    }
    return { status: 503, body: null, text: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' };
  }
}

export function appRateLimited(limit: number): Reply {
  return {
    status: 429,
    body: { code: 99991400, msg: RATE_LIMIT_MSG },
    headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': '1' },
  };
}

export const frequencyLimited = (): Reply => fail(230020, FREQUENCY_MSG);
export const invalidToken = (): Reply =>
  fail(99991663, 'Invalid access token for authorization. Please make a request with token attached.');
export const missingToken = (): Reply =>
  fail(99991661, 'Missing access token for authorization. Please make a request with token attached.');
export const botNotInChat = (): Reply => fail(230002, 'Bot/User can NOT be out of the chat.');
export const chatDissolved = (): Reply => fail(232009, 'Your request specifies a chat which has already been dissolved.');
