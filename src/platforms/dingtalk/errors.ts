import { PlatformError } from '../../errors';

/*
 * DingTalk's two error shapes
 * (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app shows both): api.dingtalk.com answers HTTP 4xx/5xx with
 * `{code, message, requestid}`; oapi.dingtalk.com answers HTTP 200 with `{errcode, errmsg}`.
 * Global table: https://open.dingtalk.com/document/development/server-api-error-codes-1
 * Everything not listed as permanent is transient (retried with backoff by the queue).
 */

/** api.dingtalk.com codes after which a retry can never succeed: the job fails at once and the duty is marked. */
export const PERMANENT_API: Readonly<Record<string, string>> = {
  'invalid.openConversationId': 'unknown group, or the robot is not in it',
  'group.disbanded': 'the group was disbanded',
  'bot.stopped': 'the robot was stopped',
  'bot.forbidden.sendMessage': 'the robot may not send in this group',
  'contain.unsafe.url': 'the message holds a link DingTalk calls unsafe',
  'contain.notAllowed.text': 'the message holds text DingTalk refuses',
  groupPermissionDenied: 'the group has no group template (no member API)',
  coolAppUninstalled: 'the group cool app is not installed (no member API)',
  groupTemplatePermissionDenied: 'no permission on the group template',
  invalidClientIdOrSecret: 'DINGTALK_CLIENT_ID or DINGTALK_CLIENT_SECRET is wrong',
  'Forbidden.AccessDenied.ApiCountLimitForOrg': 'the monthly API quota of the org is used up',
  'Forbidden.AccessDenied.AccessTokenPermissionDenied': 'the app lacks a permission (see README: permissions)',
  'InvalidAction.NotFound': 'no such API',
};
/** Parameter errors (`invalidParameter.robotCode.notExsit`, `param.templateNotExist`, `param.cardNotExist` …). */
const PERMANENT_API_PREFIXES = ['invalidParameter.', 'param.'];

/** QPS limits (https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server): sleep 1 s. */
export const THROTTLE_API = new Set([
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  'Forbidden.AccessDenied.QpsLimitForApi',
  'send.too.fast',
  'send.byToken.tooFast',
  'too.many.group',
  'too.many.people',
]);
export const TOKEN_API = new Set(['InvalidAuthentication', 'Missingx-acs-dingtalk-access-token']);

export const PERMANENT_OAPI: Readonly<Record<number, string>> = {
  40035: 'invalid parameter',
  60003: 'no such department',
  400013: 'the group was disbanded',
  400101: 'the webhook token does not exist',
  400102: 'the robot is disabled',
  400105: 'unsupported message type',
  400106: 'the robot does not exist',
  430101: 'unsafe link',
  430102: 'inappropriate text',
  430103: 'inappropriate image',
  430104: 'inappropriate content',
  90020: 'the monthly API quota of the org is used up',
};
/** 90018: app+API QPS, 90002: API QPS, 410100: webhook sends too fast. */
export const THROTTLE_OAPI = new Set([90018, 90002, 410100]);
export const TOKEN_OAPI = new Set([40014, 42001, 40001]);

export const isThrottle = (e: PlatformError): boolean =>
  (typeof e.platformCode === 'string' && THROTTLE_API.has(e.platformCode)) || (typeof e.platformCode === 'number' && THROTTLE_OAPI.has(e.platformCode));

export const isTokenError = (e: PlatformError): boolean =>
  (typeof e.platformCode === 'string' && TOKEN_API.has(e.platformCode)) || (typeof e.platformCode === 'number' && TOKEN_OAPI.has(e.platformCode));

export function apiError(status: number, code: string | undefined, message: string, cause?: unknown): PlatformError {
  if (!code) {
    return new PlatformError(status >= 400 && status < 500 && status !== 403 && status !== 429, `dingtalk HTTP ${status}: ${message}`, status, undefined, cause);
  }
  // A code we have not listed is judged by its status: 400 and 404 say the request itself is wrong, so sending it
  // again gets the same answer; 401/403/429 and 5xx may pass later (tokens, permissions being granted, limits).
  const unlisted = !THROTTLE_API.has(code) && !TOKEN_API.has(code) && (status === 400 || status === 404);
  const permanent = code in PERMANENT_API || PERMANENT_API_PREFIXES.some((p) => code.startsWith(p)) || unlisted;
  const why = PERMANENT_API[code] ?? message;
  return new PlatformError(permanent, `dingtalk ${code}: ${why}`, code, THROTTLE_API.has(code) ? 1000 : undefined, cause);
}

export function oapiError(errcode: number, errmsg: string): PlatformError {
  const permanent = errcode in PERMANENT_OAPI;
  return new PlatformError(permanent, `dingtalk oapi ${errcode}: ${PERMANENT_OAPI[errcode] ?? errmsg}`, errcode, THROTTLE_OAPI.has(errcode) ? 1000 : undefined);
}

/** The per-IP limit answers with a ban page instead of an error: `{"status":1111,"wait":5,…}` for 5 minutes. */
export const ipBanned = (wait: number): PlatformError =>
  new PlatformError(false, `dingtalk: this IP is banned for ${wait} min (10 000 calls / 20 s)`, 'IP_BANNED', wait * 60_000);

/** Network errors and timeouts: transient, though the request may have reached DingTalk. */
export function networkError(err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  const code = name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : 'NETWORK';
  return new PlatformError(false, `dingtalk ${code}: ${message}`, code, undefined, err);
}

/** A card was created but not delivered into the group (createAndDeliver answers 200 with per-space results). */
export function deliveryError(errorMsg: string): PlatformError {
  const permanent = /robot|openConversationId|not in|invalid|disband|forbidden/i.test(errorMsg);
  return new PlatformError(permanent, `dingtalk card delivery failed: ${errorMsg}`, permanent ? 'invalid.openConversationId' : 'DELIVERY_FAILED');
}
