import { accessToken, OAPI_TOKEN_PATH, oapiToken, TOKEN_PATH } from './routes-auth';
import { createAndDeliver, registerCallback, updateCard } from './routes-card';
import { chatGet, sceneGroupInfo, sceneMembers, userListId } from './routes-org';
import { groupSend, otoSend, queryRead, recall, sendBySession } from './routes-robot';
import type { DingState } from './state';
import type { StreamHub } from './stream';
import { GATEWAY_PATH } from './stream-proto';
import type { Reply, RouteInput } from './types';

export interface RouteCtx {
  state: DingState;
  hub: StreamHub;
  input: RouteInput;
  /** The body parsed as JSON (or was empty). */
  json: boolean;
  /** failNext('robotNotInGroup') hit this call. */
  botOut: boolean;
}

export interface RouteDef {
  /** oapi.dingtalk.com style (errcode in a 200, ?access_token=) vs api.dingtalk.com (x-acs-dingtalk-access-token). */
  oapi: boolean;
  /** Needs an access token. */
  auth: boolean;
  /** Business API: QPS-limited per path and subject to fault injection. Token/gateway endpoints are not. */
  business: boolean;
  targetsGroup: boolean;
  handler: (ctx: RouteCtx) => Reply;
}

type Handler = RouteDef['handler'];
const api = (handler: Handler, targetsGroup = false): RouteDef => ({ oapi: false, auth: true, business: true, targetsGroup, handler });
const oapi = (handler: Handler, auth = true): RouteDef => ({ oapi: true, auth, business: true, targetsGroup: false, handler });
/** Token and gateway endpoints: no token, no QPS limit, no fault injection. */
const open = (isOapi: boolean, handler: Handler): RouteDef => ({ oapi: isOapi, auth: false, business: false, targetsGroup: false, handler });

/** Keyed by `METHOD path`. */
export const ROUTES = new Map<string, RouteDef>([
  [`POST ${TOKEN_PATH}`, open(false, (c) => accessToken(c.state, c.input, c.json))],
  [`GET ${OAPI_TOKEN_PATH}`, open(true, (c) => oapiToken(c.state, c.input))],
  [`POST ${GATEWAY_PATH}`, open(false, (c) => c.hub.openConnection(c.input, c.json))],
  ['POST /v1.0/robot/groupMessages/send', api((c) => groupSend(c.state, c.input, c.botOut), true)],
  ['POST /v1.0/robot/oToMessages/batchSend', api((c) => otoSend(c.state, c.input))],
  ['POST /v1.0/robot/messageFiles/download', api((c) => c.state.files.download(c.state.opts.robotCode, c.input))],
  ['POST /v1.0/robot/groupMessages/recall', api((c) => recall(c.state, c.input))],
  ['POST /v1.0/robot/groupMessages/query', api((c) => queryRead(c.state, c.input))],
  ['POST /v1.0/card/instances/createAndDeliver', api((c) => createAndDeliver(c.state, c.input, c.botOut), true)],
  ['PUT /v1.0/card/instances', api((c) => updateCard(c.state, c.input))],
  ['POST /v1.0/card/callbacks/register', api((c) => registerCallback(c.state, c.input))],
  ['POST /v1.0/im/sceneGroups/members/batchQuery', api((c) => sceneMembers(c.state, c.input))],
  ['POST /v1.0/im/sceneGroups/query', api((c) => sceneGroupInfo(c.state, c.input))],
  ['POST /robot/sendBySession', oapi((c) => sendBySession(c.state, c.input, c.json), false)],
  ['POST /topapi/user/listid', oapi((c) => userListId(c.state, c.input))],
  ['GET /chat/get', oapi((c) => chatGet(c.state, c.input))],
]);

export const TOKEN_PATHS = [TOKEN_PATH, OAPI_TOKEN_PATH];
