import { missingParam } from './routes-auth';
import type { DingState } from './state';
import { apiError, apiOk, isRecord, isStringMap, type DingCard, type Reply, type RouteInput } from './types';

const bad = (code: string, message: string): Reply => apiError(400, code, message);
export const CARD_KEY_MAX_BYTES = 100;
export const CARD_VALUE_MAX_BYTES = 1024;

/** A cardParamMap must hold strings only (numbers/booleans/JSON as strings), key ≤ 100 B, value ≤ 1 KB
 * (https://open.dingtalk.com/document/development/instructions-for-filling-in-api-card-data).
 */
function paramMap(holder: unknown, where: string): Record<string, string> | Reply | undefined {
  if (holder === undefined || holder === null) return undefined;
  if (!isRecord(holder)) return bad('param.error', `${where}必须是对象`);
  const map = holder.cardParamMap;
  if (map === undefined) return undefined;
  if (!isRecord(map)) return bad('param.error', `${where}.cardParamMap必须是对象`);
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') return bad('param.error', `${where}.cardParamMap.${k}必须是字符串, 实际为${typeof v}`);
    if (Buffer.byteLength(k) > CARD_KEY_MAX_BYTES) return bad('param.error', `${where}.cardParamMap key过长: ${k}`);
    if (Buffer.byteLength(v) > CARD_VALUE_MAX_BYTES) return bad('param.error', `${where}.cardParamMap.${k}超过1KB`);
  }
  return map as Record<string, string>;
}

/** privateData: {userId: {cardParamMap}} */
function privateMaps(v: unknown): Record<string, Record<string, string>> | Reply | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) return bad('param.error', 'privateData必须是对象');
  const out: Record<string, Record<string, string>> = {};
  for (const [user, holder] of Object.entries(v)) {
    const m = paramMap(holder, `privateData.${user}`);
    if (isReply(m)) return m;
    out[user] = m ?? {};
  }
  return out;
}

const isReply = (v: unknown): v is Reply => isRecord(v) && typeof v.status === 'number' && 'body' in v;

interface Space {
  type: string;
  id: string;
}
/** `dtv1.card//IM_GROUP.cid…;IM_ROBOT.userId` → spaces; undefined when malformed. */
export function parseOpenSpaceId(v: unknown): Space[] | undefined {
  if (typeof v !== 'string' || !v.startsWith('dtv1.card//')) return undefined;
  const spaces: Space[] = [];
  for (const part of v.slice('dtv1.card//'.length).split(';')) {
    const dot = part.indexOf('.');
    if (dot <= 0 || dot === part.length - 1) return undefined;
    spaces.push({ type: part.slice(0, dot), id: part.slice(dot + 1) });
  }
  return spaces.length > 0 ? spaces : undefined;
}

/** Applies a card data update the way DingTalk does: merge by key when asked, else overwrite. */
export function applyCardUpdate(
  card: DingCard,
  data: Record<string, string> | undefined,
  priv: Record<string, Record<string, string>> | undefined,
  options: unknown,
): void {
  const o = isRecord(options) ? options : {};
  if (data) {
    card.cardData = o.updateCardDataByKey === true ? { ...card.cardData, ...data } : { ...data };
    card.updates.push({ ...data });
  }
  for (const [user, map] of Object.entries(priv ?? {})) {
    card.privateData[user] = o.updatePrivateDataByKey === true ? { ...card.privateData[user], ...map } : { ...map };
  }
}

/**
 * POST /v1.0/card/instances/createAndDeliver (https://open.dingtalk.com/document/development/create-and-deliver-cards).
 * Delivery failures are per space, inside a 200.
 */
export function createAndDeliver(state: DingState, input: RouteInput, botOut: boolean): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  if (typeof b.cardTemplateId !== 'string' || b.cardTemplateId === '') return bad('param.templateNotExist', '卡片模板不存在');
  if (typeof b.outTrackId !== 'string' || b.outTrackId === '') return bad('param.error', 'outTrackId不能为空');
  if (state.cards.has(b.outTrackId)) return bad('param.cardAlreadyExist', `卡片已存在: ${b.outTrackId}`);
  const cb = b.callbackType;
  if (cb !== undefined && cb !== 'STREAM' && cb !== 'HTTP') return bad('param.error', 'callbackType只能是STREAM或HTTP');
  if (cb === 'HTTP' && (typeof b.callbackRouteKey !== 'string' || !state.callbackRoutes.has(b.callbackRouteKey))) {
    return bad('param.error', 'HTTP回调需要已注册的callbackRouteKey');
  }
  const data = paramMap(b.cardData, 'cardData');
  if (isReply(data)) return data;
  const priv = privateMaps(b.privateData);
  if (isReply(priv)) return priv;
  const spaces = parseOpenSpaceId(b.openSpaceId);
  if (!spaces || spaces.some((s) => s.type !== 'IM_GROUP' && s.type !== 'IM_ROBOT')) {
    return bad('param.openSpaceIdInvalid', `openSpaceId无效: ${String(b.openSpaceId)}`);
  }
  const groupModel = b.imGroupOpenDeliverModel;
  if (spaces.some((s) => s.type === 'IM_GROUP')) {
    if (!isRecord(groupModel)) return bad('param.openDeliverModelEmpty', 'imGroupOpenDeliverModel不能为空');
    if (groupModel.robotCode !== state.opts.robotCode) return bad('invalid.robotCode', '无效的机器人标识');
    if (groupModel.atUserIds !== undefined && !isStringMap(groupModel.atUserIds)) return bad('param.error', 'atUserIds无效');
  }
  // IM_ROBOT (one-to-one with the robot, spaceId = userId): imRobotOpenDeliverModel.spaceType "IM_ROBOT"; an
  // imRobotOpenSpaceModel, when sent, needs supportForward (https://open.dingtalk.com/document/development/create-and-deliver-cards).
  const robotModel = b.imRobotOpenDeliverModel;
  if (spaces.some((s) => s.type === 'IM_ROBOT') && (!isRecord(robotModel) || robotModel.spaceType !== 'IM_ROBOT')) {
    return bad('param.openDeliverModelEmpty', 'imRobotOpenDeliverModel不能为空');
  }
  const robotSpace = b.imRobotOpenSpaceModel;
  if (robotSpace !== undefined && (!isRecord(robotSpace) || typeof robotSpace.supportForward !== 'boolean')) {
    return bad('param.error', 'imRobotOpenSpaceModel.supportForward不能为空');
  }
  const atUserIds = isRecord(groupModel) && isStringMap(groupModel.atUserIds) ? groupModel.atUserIds : undefined;
  const card: DingCard = {
    outTrackId: b.outTrackId,
    cardTemplateId: b.cardTemplateId,
    openSpaceId: b.openSpaceId as string,
    cardData: { ...data },
    ...(atUserIds ? { atUserIds } : {}),
    updates: [],
    ...(typeof cb === 'string' ? { callbackType: cb } : {}),
    ...(cb === 'HTTP' && typeof b.callbackRouteKey === 'string' ? { callbackRouteKey: b.callbackRouteKey } : {}),
    privateData: priv ?? {},
    delivered: false,
  };
  state.cards.set(card.outTrackId, card);
  const deliverResults = spaces.map((s) => {
    const error = deliveryError(state, s, botOut);
    const carrierId = error ? '' : state.processQueryKey();
    if (!error) {
      card.delivered = true;
      const target = s.type === 'IM_GROUP' ? { openConversationId: s.id } : { userIds: [s.id] };
      state.sent.push({ kind: 'card', ...target, msgParam: card.cardData, body: b, at: input.now, processQueryKey: carrierId });
    }
    return { spaceType: s.type, spaceId: s.id, success: !error, carrierId, errorMsg: error ?? '' };
  });
  return apiOk({ success: true, result: { outTrackId: card.outTrackId, deliverResults } });
}

function deliveryError(state: DingState, s: Space, botOut: boolean): string | undefined {
  if (s.type === 'IM_ROBOT') return state.isKnownUser(s.id) ? undefined : `invalid userId: ${s.id}`;
  const group = state.group(s.id);
  if (!group) return `invalid openConversationId: ${s.id}`;
  if (botOut || group.botInGroup === false) return 'robot is not in the group';
  return undefined;
}

/**
 * PUT /v1.0/card/instances (https://open.dingtalk.com/document/development/interactive-card-update-interface):
 * overwrite unless cardUpdateOptions.update*ByKey.
 */
export function updateCard(state: DingState, input: RouteInput): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  const card = typeof b.outTrackId === 'string' ? state.cards.get(b.outTrackId) : undefined;
  if (!card) return bad('param.cardNotExist', `卡片不存在: ${String(b.outTrackId)}`);
  const data = paramMap(b.cardData, 'cardData');
  if (isReply(data)) return data;
  const priv = privateMaps(b.privateData);
  if (isReply(priv)) return priv;
  if (!data && (!priv || Object.keys(priv).length === 0)) {
    return bad('param.cardDataAndPrivateDataBothEmpty', 'cardData和privateData不能同时为空');
  }
  applyCardUpdate(card, data, priv, b.cardUpdateOptions);
  return apiOk({ success: true, result: true });
}

/** POST /v1.0/card/callbacks/register (HTTP callback mode only). */
export function registerCallback(state: DingState, input: RouteInput): Reply {
  const b = input.body;
  if (!isRecord(b)) return missingParam('body');
  if (typeof b.callbackRouteKey !== 'string' || b.callbackRouteKey === '') return missingParam('callbackRouteKey');
  if (typeof b.callbackUrl !== 'string' || !/^https?:\/\//.test(b.callbackUrl)) return bad('param.error', 'callbackUrl无效');
  if (state.callbackRoutes.has(b.callbackRouteKey) && b.forceUpdate !== true) {
    return bad('param.error', 'callbackRouteKey已存在, 需要forceUpdate');
  }
  const apiSecret = typeof b.apiSecret === 'string' ? b.apiSecret : undefined;
  state.callbackRoutes.set(b.callbackRouteKey, { callbackUrl: b.callbackUrl, ...(apiSecret ? { apiSecret } : {}) });
  return apiOk({ success: true, result: { callbackUrl: b.callbackUrl, apiSecret } });
}

/**
 * Applies a card-callback response (Stream ACK data.response) for the clicking user
 * (https://open.dingtalk.com/document/development/event-callback-card).
 */
export function applyCallbackResponse(state: DingState, callback: unknown, response: unknown): boolean {
  if (!isRecord(callback) || !isRecord(response) || typeof callback.outTrackId !== 'string') return false;
  const card = state.cards.get(callback.outTrackId);
  if (!card) return false;
  const data = paramMap(response.cardData, 'cardData');
  const mine = paramMap(response.userPrivateData, 'userPrivateData');
  if (isReply(data) || isReply(mine)) return false;
  const user = typeof callback.userId === 'string' ? callback.userId : '';
  applyCardUpdate(card, data, mine && user ? { [user]: mine } : undefined, response.cardUpdateOptions);
  return data !== undefined || mine !== undefined;
}
