import { randomUUID } from 'node:crypto';
import { hexId } from '../shared/ids';
import { isRecord, type FaultOptions as SharedFaultOptions, type RecordedCall, type Reply } from '../shared/types';

/** Types of the fake DingTalk; what both fake platforms share is in ../shared/types.ts. */
export { hexId, isRecord, type Reply };

export interface FakeDingGroup {
  openConversationId: string;
  title: string;
  ownerUserId?: string;
  memberUserIds: string[];
  /** Scene group (created from a group template): the members API works only for these. */
  scene?: boolean;
  /** Defaults to true. */
  botInGroup?: boolean;
  /** The legacy `chatid` (groups made through the API) for GET /chat/get; without it /chat/get does not know the group. */
  chatId?: string;
}

export interface FakeDingUser {
  userId: string;
  name: string;
  deptIds?: number[];
}

export type DingCall = RecordedCall;

export interface DingSent {
  kind: 'group' | 'oto' | 'session' | 'card';
  openConversationId?: string;
  userIds?: string[];
  /** group/oto: msgKey; session: the webhook `msgtype`; card: undefined. */
  msgKey?: string;
  /** group/oto: parsed msgParam; session: body[msgtype]; card: cardData.cardParamMap. */
  msgParam?: unknown;
  body: unknown;
  at: number;
  processQueryKey?: string;
  /** Extension: set by POST /v1.0/robot/groupMessages/recall. */
  recalled?: boolean;
}

export interface DingCard {
  outTrackId: string;
  cardTemplateId: string;
  openSpaceId: string;
  cardData: Record<string, string>;
  atUserIds?: Record<string, string>;
  /** Every cardParamMap applied after creation (PUT /v1.0/card/instances and callback responses), in order. */
  updates: Record<string, string>[];
  callbackType?: string;
  /** HTTP callback mode: the registered route the card's clicks are posted to (and signed for). */
  callbackRouteKey?: string;
  /** Extension: privateData keyed by userId. */
  privateData: Record<string, Record<string, string>>;
  /** Extension: false when delivery failed (robot not in group); the instance still exists. */
  delivered: boolean;
}

export interface FakeDingTalkOptions {
  clientId?: string;
  clientSecret?: string;
  robotCode?: string;
  tokenExpireSeconds?: number;
  qpsPerApi?: number;
  sessionWebhookTtlMs?: number;
  now?: () => number;
  /** Extension: how long pushes/pings wait for an ACK (default 3000). */
  ackTimeoutMs?: number;
}

export type ResolvedOptions = Required<FakeDingTalkOptions>;

export type RandomFaultKind = '5xx' | 'throttle' | 'timeout';
export type FailNextKind = '5xx' | 'throttle' | 'invalidToken' | 'robotNotInGroup';
/** Extension: `timeoutMs` = how long a 'timeout' fault holds the socket before destroying it (default 10 s). */
export type FaultOptions = Omit<SharedFaultOptions<RandomFaultKind>, 'slowMs'>;

export interface FakeStats {
  throttled: number;
  faultsInjected: number;
  byPath: Record<string, number>;
}

export interface RouteInput {
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  now: number;
}

export const requestId = (): string => randomUUID().toUpperCase();

/** api.dingtalk.com error: HTTP 4xx/5xx with {code, message, requestid}. */
export function apiError(status: number, code: string, message: string): Reply {
  const id = requestId();
  return {
    status,
    body: { code, message, requestid: id },
    headers: { 'x-acs-request-id': id, 'x-acs-trace-id': hexId(8) },
  };
}

export function apiOk(body: unknown): Reply {
  return { status: 200, body, headers: { 'x-acs-request-id': requestId(), 'x-acs-trace-id': hexId(8) } };
}

/** oapi.dingtalk.com error: HTTP 200 with {errcode, errmsg}. */
export function oapiError(errcode: number, errmsg: string): Reply {
  return { status: 200, body: { errcode, errmsg } };
}

export function oapiOk(extra: Record<string, unknown> = {}): Reply {
  return { status: 200, body: { errcode: 0, errmsg: 'ok', ...extra } };
}

export const isStringMap = (v: unknown): v is Record<string, string> =>
  isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
