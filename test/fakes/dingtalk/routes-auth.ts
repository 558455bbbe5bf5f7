import type { DingState } from './state';
import { apiError, apiOk, isRecord, oapiError, oapiOk, type Reply, type RouteInput } from './types';

export const TOKEN_PATH = '/v1.0/oauth2/accessToken';
export const OAPI_TOKEN_PATH = '/gettoken';

export const missingParam = (name: string): Reply => apiError(400, `Missing${name}`, `${name} is mandatory for this action.`);

/**
 * POST /v1.0/oauth2/accessToken (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app):
 * JSON only; a form body gets "body is mandatory" (https://github.com/aliyun/alibabacloud-php-sdk/issues/36).
 */
export function accessToken(state: DingState, input: RouteInput, json: boolean): Reply {
  const b = input.body;
  if (!json || !isRecord(b)) return missingParam('body');
  if (typeof b.appKey !== 'string' || b.appKey === '') return missingParam('appKey');
  if (typeof b.appSecret !== 'string' || b.appSecret === '') return missingParam('appSecret');
  if (b.appKey !== state.opts.clientId || b.appSecret !== state.opts.clientSecret) {
    return apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
  }
  const { token, expireIn } = state.issueToken();
  return apiOk({ expireIn, accessToken: token });
}

/** GET /gettoken?appkey&appsecret (legacy; used by dingtalk-stream's getAccessToken). */
export function oapiToken(state: DingState, input: RouteInput): Reply {
  const { appkey, appsecret } = input.query;
  if (appkey !== state.opts.clientId || appsecret !== state.opts.clientSecret) {
    return oapiError(40089, '不合法的corpId或corpSecret');
  }
  const { token, expireIn } = state.issueToken();
  return oapiOk({ access_token: token, expires_in: expireIn });
}
