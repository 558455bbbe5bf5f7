import { robotNotInGroup } from './faults';
import { missingParam } from './routes-auth';
import type { DingState } from './state';
import { apiError, apiOk, isRecord, oapiError, oapiOk, type Reply, type RouteInput } from './types';

/** sampleActionCard<N>: `title`, `text`, then `actionTitle1..N` and `actionURL1..N` (N vertical link buttons). */
const actionCard = (n: number): string[] => ['title', 'text', ...Array.from({ length: n }, (_, i) => [`actionTitle${i + 1}`, `actionURL${i + 1}`]).flat()];

/**
 * msgKey → msgParam keys that must be present (robot message types,
 * https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format).
 */
export const MSG_KEYS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: actionCard(2),
  sampleActionCard3: actionCard(3),
  sampleActionCard4: actionCard(4),
  sampleActionCard5: actionCard(5),
  sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
  sampleAudio: ['mediaId', 'duration'],
  sampleFile: ['mediaId', 'fileName', 'fileType'],
  sampleVideo: ['duration', 'videoMediaId', 'videoType', 'picMediaId'],
};
export const MSG_PARAM_MAX_BYTES = 15000;

const bad = (code: string, message: string): Reply => apiError(400, code, message);

/** Validates robotCode, msgKey and msgParam (a JSON *string*); returns the parsed message or an error reply. */
export function checkRobotMessage(
  state: DingState,
  b: Record<string, unknown>,
): { msgKey: string; msgParam: Record<string, unknown> } | Reply {
  if (typeof b.robotCode !== 'string' || b.robotCode === '') {
    return bad('invalidParameter.robotCode.empty', 'robotCode不能为空');
  }
  if (b.robotCode !== state.opts.robotCode) return bad('invalidParameter.robotCode.notExsit', '机器人不存在');
  const msgKey = b.msgKey;
  if (typeof msgKey !== 'string' || MSG_KEYS[msgKey] === undefined) {
    return bad('invalidParameter.msgKey.invalid', `msgKey无效: ${String(msgKey)}`);
  }
  if (typeof b.msgParam !== 'string') return bad('invalidParameter.msgParam.invalid', 'msgParam必须是JSON字符串');
  if (Buffer.byteLength(b.msgParam, 'utf8') > MSG_PARAM_MAX_BYTES) {
    return bad('invalidParameter.msgParam.tooLong', `msgParam超过${MSG_PARAM_MAX_BYTES}字节`);
  }
  let msgParam: unknown;
  try {
    msgParam = JSON.parse(b.msgParam);
  } catch {
    return bad('invalidParameter.msgParam.invalid', 'msgParam不是合法的JSON');
  }
  if (!isRecord(msgParam)) return bad('invalidParameter.msgParam.invalid', 'msgParam必须是JSON对象');
  const missing = (MSG_KEYS[msgKey] ?? []).filter((k) => msgParam[k] === undefined || msgParam[k] === null);
  if (missing.length > 0) {
    return bad('invalidParameter.msgParam.invalid', `msgParam缺少字段: ${missing.join(',')}`);
  }
  return { msgKey, msgParam };
}

const isReply = (v: unknown): v is Reply => isRecord(v) && typeof v.status === 'number' && 'body' in v;

/** POST /v1.0/robot/groupMessages/send */
export function groupSend(state: DingState, input: RouteInput, botOut: boolean): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  const msg = checkRobotMessage(state, b);
  if (isReply(msg)) return msg;
  if (typeof b.openConversationId !== 'string' || b.openConversationId === '') {
    return bad('miss.openConversationId', 'openConversationId不能为空');
  }
  const group = state.group(b.openConversationId);
  if (!group) return bad('invalid.openConversationId', '无效的openConversationId');
  if (botOut || group.botInGroup === false) return robotNotInGroup();
  const processQueryKey = state.processQueryKey();
  state.sent.push({
    kind: 'group',
    openConversationId: group.openConversationId,
    msgKey: msg.msgKey,
    msgParam: msg.msgParam,
    body: b,
    at: input.now,
    processQueryKey,
  });
  return apiOk({ processQueryKey });
}

/**
 * POST /v1.0/robot/oToMessages/batchSend: `{robotCode, userIds (≤ 20), msgKey, msgParam}` → `{processQueryKey,
 * invalidStaffIdList, flowControlledStaffIdList}`; unknown users land in invalidStaffIdList, inside the 200
 * (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches; error codes
 * from its table: invalidParameter.userIds.empty, invalidParameter.userIds.overMax).
 */
export function otoSend(state: DingState, input: RouteInput): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  const msg = checkRobotMessage(state, b);
  if (isReply(msg)) return msg;
  const ids = b.userIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x): x is string => typeof x === 'string')) {
    return bad('invalidParameter.userIds.empty', '用户userId列表为空');
  }
  if (ids.length > 20) return bad('invalidParameter.userIds.overMax', 'userIds每次最多传20个');
  const valid = ids.filter((u) => state.isKnownUser(u));
  const processQueryKey = state.processQueryKey();
  if (valid.length > 0) {
    const { msgKey, msgParam } = msg;
    state.sent.push({ kind: 'oto', userIds: valid, msgKey, msgParam, body: b, at: input.now, processQueryKey });
  }
  return apiOk({
    processQueryKey,
    invalidStaffIdList: ids.filter((u) => !valid.includes(u)),
    flowControlledStaffIdList: [],
  });
}

/** POST /v1.0/robot/groupMessages/recall */
export function recall(state: DingState, input: RouteInput): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  if (b.robotCode !== state.opts.robotCode) return bad('invalidParameter.robotCode.notExsit', '机器人不存在');
  const keys = Array.isArray(b.processQueryKeys) ? b.processQueryKeys.filter((k): k is string => typeof k === 'string') : [];
  if (keys.length === 0) return bad('param.error', 'processQueryKeys不能为空');
  const successResult: string[] = [];
  const failedResult: Record<string, string> = {};
  for (const key of keys) {
    const m = state.sent.find(
      (s) => s.kind === 'group' && s.processQueryKey === key && s.openConversationId === b.openConversationId,
    );
    if (m && !m.recalled) {
      m.recalled = true;
      successResult.push(key);
    } else failedResult[key] = m ? 'message already recalled' : 'message not found';
  }
  return apiOk({ successResult, failedResult });
}

/** POST /v1.0/robot/groupMessages/query (the fake has no readers). */
export function queryRead(state: DingState, input: RouteInput): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  const m = state.sent.find((s) => s.kind === 'group' && s.processQueryKey === b.processQueryKey);
  if (!m) return bad('param.error', 'processQueryKey无效');
  return apiOk({ sendStatus: m.recalled ? 'RECALLED' : 'SUCCESS', readUserIds: [], hasMore: false });
}

export const SESSION_EXPIRED_ERRCODE = 300001;
const WEBHOOK_TYPES: Record<string, string[]> = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['title', 'text', 'messageUrl'],
  actionCard: ['title', 'text'],
  feedCard: ['links'],
};

/**
 * POST /robot/sendBySession?session= (no token). Unknown or expired session → errcode 300001
 * (chosen: https://open.dingtalk.com/document/dingstart/robot-reply-and-send-messages documents no code for it).
 * Bad JSON → 40035; unsupported msgtype → 400105.
 */
export function sendBySession(state: DingState, input: RouteInput, json: boolean): Reply {
  const hook = state.sessions.get(input.query.session ?? '');
  if (!hook || hook.expiresAt <= input.now) return oapiError(SESSION_EXPIRED_ERRCODE, 'session不存在或已过期');
  const b = input.body;
  if (!json || !isRecord(b)) return oapiError(40035, '缺少参数 json');
  const msgtype = b.msgtype;
  const required = typeof msgtype === 'string' ? WEBHOOK_TYPES[msgtype] : undefined;
  if (typeof msgtype !== 'string' || required === undefined) return oapiError(400105, `不支持的消息类型: ${String(msgtype)}`);
  const content = b[msgtype];
  if (!isRecord(content) || required.some((k) => content[k] === undefined)) {
    return oapiError(40035, `缺少参数 ${msgtype}.${required.join('/')}`);
  }
  const openConversationId = hook.conversationId;
  state.sent.push({ kind: 'session', openConversationId, msgKey: msgtype, msgParam: content, body: b, at: input.now });
  return oapiOk();
}
