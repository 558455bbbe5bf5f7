import { FaultPlan as SharedFaultPlan } from '../shared/faults';
import type { Answer } from '../shared/types';
import { fail, type FailNextKind, type FaultKind, type RandomFaultKind, type Reply } from './types';

export const RATE_LIMIT_MSG = 'request trigger frequency limit';
export const FREQUENCY_MSG = 'This operation triggers the frequency limit.';

/** The shared fault plan (../shared/faults.ts) with Feishu's 5xx answers. */
export class FaultPlan extends SharedFaultPlan<RandomFaultKind, FailNextKind> {
  /** The answer a fault gives instead of the route's; `appPerSecond` is the app's rate limit (for a 429's headers). */
  reply(kind: Exclude<FaultKind, 'slow'>, appPerSecond: number): Answer {
    switch (kind) {
      case 'timeout':
        return 'timeout';
      case '5xx':
        return this.serverError();
      case '429':
        return appRateLimited(appPerSecond);
      case '230020':
        return frequencyLimited();
      case '230002':
        return botNotInChat();
      case '232009':
        return chatDissolved();
      case '99991663':
        return invalidToken();
    }
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
