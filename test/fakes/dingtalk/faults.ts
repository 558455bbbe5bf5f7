import { FaultPlan as SharedFaultPlan } from '../shared/faults';
import type { Answer } from '../shared/types';
import { apiError, oapiError, type FailNextKind, type RandomFaultKind, type Reply } from './types';

export type FaultKind = RandomFaultKind | FailNextKind;
/** An api.dingtalk.com error answer of our choosing (HTTP status, `code`, `message`), for failOn. */
export interface CodedFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** The shared fault plan (../shared/faults.ts) with DingTalk's per-path faults and 5xx answers. */
export class FaultPlan extends SharedFaultPlan<RandomFaultKind, FailNextKind> {
  private readonly byPath: { path: string; fault: FailNextKind | CodedFault; count: number }[] = [];

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

  /**
   * The fault for the next business call, or null. failNext entries come first, in order; a
   * 'robotNotInGroup' entry waits for a call that targets a group (groupMessages/send, card
   * createAndDeliver) and an 'invalidToken' entry for a call that carries a token.
   */
  nextFor(call: { targetsGroup: boolean; usesToken: boolean }): FaultKind | null {
    const fits = (k: FailNextKind): boolean =>
      k === 'robotNotInGroup' ? call.targetsGroup : k === 'invalidToken' ? call.usesToken : true;
    return this.next(fits);
  }

  /** The answer a fault gives instead of the route's, in the API's style (`oapi`: oapi.dingtalk.com). */
  reply(kind: Exclude<FaultKind, 'robotNotInGroup'>, oapi: boolean): Answer {
    switch (kind) {
      case 'timeout':
        return 'timeout';
      case '5xx':
        return this.serverError(oapi);
      case 'throttle':
        return throttled(oapi);
      case 'invalidToken':
        return invalidToken(oapi);
    }
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
