/** Types of the fake Feishu Open API server; what both fake platforms share is in ../shared/types.ts. */
import type { FaultOptions as SharedFaultOptions, RecordedCall as SharedRecordedCall, Reply } from '../shared/types';

export { isRecord, type Reply } from '../shared/types';

export interface FakeChat {
  chatId: string;
  name: string;
  ownerId: string;
  managers: string[];
  members: { open_id: string; name: string }[];
  /** Default true. */
  botInChat?: boolean;
  dissolved?: boolean;
}

export interface RecordedCall extends SharedRecordedCall {
  /** Set when an injected fault (injectFaults / failNext) shaped the answer. */
  fault?: FaultKind;
}

export interface FakeMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** Parsed JSON of the content string as first sent (patches do not change it). */
  content: unknown;
  uuid?: string;
  parentId?: string;
  createdAt: number;
  /** Parsed contents of each accepted patch, in order. */
  patches: unknown[];
}

export type RandomFaultKind = '5xx' | '429' | '230020' | 'timeout' | 'slow';
export type FailNextKind = '5xx' | '429' | '230020' | '230002' | '232009' | '99991663' | 'timeout' | 'slow';
export type FaultKind = RandomFaultKind | FailNextKind;

export type FaultOptions = SharedFaultOptions<RandomFaultKind>;

export interface FakeFeishuOptions {
  appId?: string;
  appSecret?: string;
  tokenExpireSeconds?: number;
  appPerSecond?: number;
  chatPerSecond?: number;
  patchPerSecondPerMessage?: number;
  /** Server-side cap on members per page (the page can be shorter than the requested page_size). */
  memberPageSize?: number;
  /** The bot's open_id and app name, as GET /open-apis/bot/v3/info answers them. */
  botOpenId?: string;
  botName?: string;
  /** The first reads of bot/v3/info fail (HTTP 500) this many times. */
  botInfoFailures?: number;
  /** Clock for message ages (14-day patch limit, 1-hour uuid window). Rate limits and tokens use real time. */
  now?: () => number;
}

export interface FakeStats {
  rateLimited429: number;
  rateLimited230020: number;
  faultsInjected: number;
  byPath: Record<string, number>;
}

export function ok(data?: unknown, msg = 'success'): Reply {
  return { status: 200, body: data === undefined ? { code: 0, msg } : { code: 0, msg, data } };
}

export function fail(code: number, msg: string, status = 400): Reply {
  return { status, body: { code, msg } };
}
