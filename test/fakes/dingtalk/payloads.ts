import { randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_ID, DEFAULT_SESSION_TTL_MS, FAKE_CORP_ID } from './state';

export const FAKE_BOT_DINGTALK_ID = '$:LWCP_v1:$fakeBotDingtalkId0000000000';
const lwcp = (s: string): string => `$:LWCP_v1:$${Buffer.from(s).toString('base64')}`;
const unionId = (s: string): string => `union${Buffer.from(s).toString('hex')}`;

export interface RobotMessageOptions {
  conversationId: string;
  senderStaffId: string;
  senderNick: string;
  /** What the user typed after the bot mention; the payload carries it with a leading space. */
  text: string;
  msgId?: string;
  conversationType?: '1' | '2';
  isAdmin?: boolean;
  /** Other users @-mentioned (the bot itself is always in atUsers of a group message, dingtalkId only). */
  atUsers?: { staffId: string }[];
  sessionWebhook?: string;
  robotCode?: string;
  /** Extensions. */
  conversationTitle?: string;
  createAt?: number;
  sessionWebhookExpiredTime?: number;
}

/** A text robot message as DingTalk sends it in HTTP mode and as Stream `data`
 * (https://open.dingtalk.com/document/development/receive-message).
 */
export function robotMessage(o: RobotMessageOptions): Record<string, unknown> {
  const createAt = o.createAt ?? Date.now();
  const group = (o.conversationType ?? '2') === '2';
  const atUsers = [
    { dingtalkId: FAKE_BOT_DINGTALK_ID },
    ...(o.atUsers ?? []).map((u) => ({ dingtalkId: lwcp(u.staffId), staffId: u.staffId, unionId: unionId(u.staffId) })),
  ];
  return {
    msgtype: 'text',
    text: { content: ` ${o.text}` },
    msgId: o.msgId ?? `msg${randomBytes(12).toString('base64')}`,
    createAt,
    conversationType: group ? '2' : '1',
    conversationId: o.conversationId,
    ...(group ? { conversationTitle: o.conversationTitle ?? '测试群' } : {}),
    senderId: lwcp(o.senderStaffId),
    senderNick: o.senderNick,
    senderCorpId: FAKE_CORP_ID,
    senderStaffId: o.senderStaffId,
    senderUnionId: unionId(o.senderStaffId),
    senderPlatform: 'Mac',
    isAdmin: o.isAdmin ?? false,
    chatbotCorpId: FAKE_CORP_ID,
    chatbotUserId: FAKE_BOT_DINGTALK_ID,
    robotCode: o.robotCode ?? DEFAULT_CLIENT_ID,
    ...(group ? { isInAtList: true, atUsers } : {}),
    sessionWebhook: o.sessionWebhook ?? `https://oapi.dingtalk.com/robot/sendBySession?session=${randomBytes(16).toString('hex')}`,
    sessionWebhookExpiredTime: o.sessionWebhookExpiredTime ?? createAt + DEFAULT_SESSION_TTL_MS,
  };
}

export interface CardCallbackOptions {
  outTrackId: string;
  userId: string;
  /** The params configured on the clicked button (cardPrivateData.params). */
  params: Record<string, unknown>;
  corpId?: string;
  /** When given, the callback carries spaceType IM_GROUP and spaceId (seen by community bots). */
  openConversationId?: string;
  /** Extension: clicked component ids (default ['action']). */
  actionIds?: string[];
}

/** A card callback (https://open.dingtalk.com/document/development/event-callback-card); `content` is a JSON string. */
export function cardCallback(o: CardCallbackOptions): Record<string, unknown> {
  return {
    type: 'actionCallback',
    outTrackId: o.outTrackId,
    corpId: o.corpId ?? FAKE_CORP_ID,
    userId: o.userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: o.actionIds ?? ['action'], params: o.params } }),
    ...(o.openConversationId ? { spaceType: 'IM_GROUP', spaceId: o.openConversationId } : {}),
  };
}

/**
 * What a file, picture or rich-text message carries in `content` (https://open.dingtalk.com/document/development/receive-message;
 * /work/shared/reference/files-and-p2p.md §3): a file `{fileName, downloadCode, spaceId, fileId}`, a picture
 * `{downloadCode, pictureDownloadCode}`, a richText `{richText: [{text} | {type: "picture", downloadCode}]}`.
 */
export type RobotFileContent =
  | { readonly msgtype: 'file'; readonly fileName: string; readonly downloadCode: string }
  | { readonly msgtype: 'picture'; readonly downloadCode: string }
  | { readonly msgtype: 'richText'; readonly items: readonly ({ readonly text: string } | { readonly pictureCode: string })[] };

/** A file, picture or rich-text robot message (no `text` field), one-to-one unless `conversationType` says '2'. */
export function robotFileMessage(o: Omit<RobotMessageOptions, 'text'>, file: RobotFileContent): Record<string, unknown> {
  const { text: _text, ...base } = robotMessage({ conversationType: '1', ...o, text: '' });
  const content =
    file.msgtype === 'file'
      ? { fileName: file.fileName, downloadCode: file.downloadCode, spaceId: '2143000000', fileId: `fid${randomBytes(6).toString('hex')}` }
      : file.msgtype === 'picture'
        ? { downloadCode: file.downloadCode, pictureDownloadCode: `pdc${randomBytes(12).toString('base64')}` }
        : { richText: file.items.map((i) => ('text' in i ? { text: i.text } : { type: 'picture', downloadCode: i.pictureCode, pictureDownloadCode: `pdc${randomBytes(8).toString('hex')}` })) };
  return { ...base, msgtype: file.msgtype, content };
}
