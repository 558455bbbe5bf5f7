import { createHash, randomUUID } from 'node:crypto';
import { PlatformError } from '../../errors';
import type { CardParamMap } from './card';
import type { DingTalkClientOptions } from './client-options';
import { deliveryError } from './errors';

/** outTrackIds we make start with this; processQueryKeys (markdown messages) do not. */
export const CARD_REF = 'lsc_';

/**
 * createAndDeliver of a template card into a group, or into a one-to-one chat's user's IM_ROBOT space
 * (https://open.dingtalk.com/document/development/create-and-deliver-cards). Resolves to the card's outTrackId:
 * the same key gives the same id, until a failed delivery moves the key to its next generation.
 */
export async function deliverCard(
  o: DingTalkClientOptions,
  chatId: string,
  data: CardParamMap,
  title: string,
  key?: string,
  atUserIds?: Record<string, string>,
): Promise<string> {
  const generation = key ? await o.state.sends.cardGeneration(key) : 0;
  const seed = `${o.namespace}|${chatId}|${key ?? randomUUID()}|${generation}`;
  const outTrackId = `${CARD_REF}${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;
  // Recorded first: a click can come back before createAndDeliver has answered.
  await o.state.sends.rememberCard(outTrackId, chatId);
  const route = o.callbackType === 'HTTP' && o.callbackRoute ? await o.callbackRoute() : undefined;
  const user = await o.state.directs.userOf(chatId);
  const summary = { supportForward: false, lastMessageI18n: { ZH_CN: title.slice(0, 50) }, notification: { alertContent: title.slice(0, 50), notificationOff: false } };
  // A group's space is its conversation; a one-to-one chat's is its user's IM_ROBOT space (create-and-deliver-cards).
  const space = user
    ? { openSpaceId: `dtv1.card//IM_ROBOT.${user}`, imRobotOpenSpaceModel: summary, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: o.robotCode } }
    : {
        openSpaceId: `dtv1.card//IM_GROUP.${chatId}`,
        imGroupOpenSpaceModel: summary,
        imGroupOpenDeliverModel: { robotCode: o.robotCode, ...(atUserIds ? { atUserIds } : {}) },
      };
  let res: Record<string, unknown>;
  try {
    res = await o.api.call({
      method: 'POST',
      base: 'api',
      path: '/v1.0/card/instances/createAndDeliver',
      body: {
        cardTemplateId: o.templateId,
        outTrackId,
        callbackType: o.callbackType,
        ...(route ? { callbackRouteKey: route } : {}),
        cardData: { cardParamMap: data },
        ...space,
        userIdType: 1,
      },
    });
  } catch (err) {
    // The same outTrackId again (a retry after a lost answer): the card exists, and reusing the id changes nothing.
    if (err instanceof PlatformError && err.platformCode === 'param.cardAlreadyExist') return outTrackId;
    throw err;
  }
  const result = typeof res.result === 'object' && res.result !== null ? (res.result as Record<string, unknown>) : {};
  const spaces = Array.isArray(result.deliverResults) ? (result.deliverResults as unknown[]) : [];
  const failed = spaces.find((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && (s as Record<string, unknown>).success === false);
  if (failed) {
    const error = deliveryError(typeof failed.errorMsg === 'string' ? failed.errorMsg : 'unknown');
    // The card exists but is not in the group: a retry must use a new outTrackId, or it would find "already exists".
    if (key && !error.permanent) await o.state.sends.bumpCardGeneration(key);
    throw error;
  }
  await o.shown.record(outTrackId, data);
  return outTrackId;
}
