import { apiError, oapiError, type FailNextKind, type FaultOptions, type RandomFaultKind, type Reply } from './types';

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

export type FaultKind = RandomFaultKind | FailNextKind;
/** An api.dingtalk.com error answer of our choosing (HTTP status, `code`, `message`), for failOn. */
export interface CodedFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Decides, per business API call, whether a fault replaces the normal answer. */
export class FaultPlan {
  private random: (() => number) | null = null;
  private opts: FaultOptions | null = null;
  private queue: { kind: FailNextKind; count: number }[] = [];
  private readonly byPath: { path: string; fault: FailNextKind | CodedFault; count: number }[] = [];
  private readonly variety = seededRandom(7);
  private hold = DEFAULT_TIMEOUT_MS;

  inject(opts: FaultOptions | null): void {
    if (opts && (opts.rate < 0 || opts.rate > 1 || opts.kinds.length === 0)) {
      throw new Error('injectFaults: rate must be within [0, 1] and kinds non-empty');
    }
    this.opts = opts;
    if (opts?.timeoutMs !== undefined) this.hold = opts.timeoutMs;
    this.random = opts ? seededRandom(opts.seed ?? 1) : null;
  }

  failNext(kind: FailNextKind, count = 1): void {
    if (count > 0) this.queue.push({ kind, count });
  }

  /** Extension: the next `count` business calls to `path` (only) get this fault, before any failNext entry. */
  failOn(path: string, fault: FailNextKind | CodedFault, count = 1): void {
    if (count > 0) this.byPath.push({ path, fault, count });
  }

  /** The failOn fault for a call to `path`, or null. */
  nextOn(path: string): FailNextKind | CodedFault | null {
    const i = this.byPath.findIndex((q) => q.path === path);
    const entry = this.byPath[i];
    if (!entry) return null;
    entry.count -= 1;
    if (entry.count <= 0) this.byPath.splice(i, 1);
    return entry.fault;
  }

  get timeoutMs(): number {
    return this.hold;
  }

  /**
   * The fault for the next business call, or null. failNext entries come first, in order; a
   * 'robotNotInGroup' entry waits for a call that targets a group (groupMessages/send, card
   * createAndDeliver) and an 'invalidToken' entry for a call that carries a token.
   */
  next(call: { targetsGroup: boolean; usesToken: boolean }): FaultKind | null {
    const fits = (k: FailNextKind): boolean =>
      k === 'robotNotInGroup' ? call.targetsGroup : k === 'invalidToken' ? call.usesToken : true;
    const i = this.queue.findIndex((q) => fits(q.kind));
    const entry = this.queue[i];
    if (entry) {
      entry.count -= 1;
      if (entry.count <= 0) this.queue.splice(i, 1);
      return entry.kind;
    }
    if (!this.opts || !this.random) return null;
    if (this.random() >= this.opts.rate) return null;
    const kinds = this.opts.kinds;
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }

  /** 5xx answers alternate between the API's JSON error and a gateway HTML page. */
  serverError(oapi: boolean): Reply {
    if (this.variety() < 0.5) {
      return oapi ? oapiError(-1, '系统繁忙') : apiError(500, 'system.error', '未知的系统错误');
    }
    return { status: 502, body: null, text: '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>' };
  }
}

export const QPS_CODE = 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';
export const throttled = (oapi: boolean): Reply =>
  oapi ? oapiError(90018, '当前应用调用该接口的QPS超过限制，请稍后重试') : apiError(403, QPS_CODE, '应用调用该接口的QPS超过限制，请稍后重试');

export const invalidToken = (oapi: boolean): Reply =>
  oapi ? oapiError(40014, '不合法的access_token') : apiError(400, 'InvalidAuthentication', '不合法的access_token');

export const missingToken = (oapi: boolean): Reply =>
  oapi
    ? oapiError(40014, '不合法的access_token')
    : apiError(400, 'Missingx-acs-dingtalk-access-token', 'x-acs-dingtalk-access-token is mandatory for this action.');

export const robotNotInGroup = (): Reply => apiError(400, 'invalid.openConversationId', '无效的openConversationId：机器人不在该群中');
