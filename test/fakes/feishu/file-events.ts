import { hexId } from '../shared/ids';
import { envelope, userIds } from './events';
import { FAKE_TENANT_KEY } from './state';

export interface FileMessageInput {
  chatId: string;
  senderOpenId: string;
  /** `file` `{file_key, file_name}`, `image` `{image_key}`, `media` `{file_key, file_name, duration, image_key}`. */
  kind: 'file' | 'image' | 'media';
  /** file_key, or image_key for an image. */
  key: string;
  fileName?: string;
  chatType?: 'group' | 'p2p';
  messageId?: string;
  /** A reply: the message replied to (parent_id) and the thread's first (root_id, default the parent). */
  parentId?: string;
  rootId?: string;
  eventId?: string;
  token?: string;
  /** ms since 1970 (create_time); default now. */
  createTime?: number;
}

/**
 * `im.message.receive_v1` carrying a file, image or video (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive);
 * the content shapes are those the official SDK parses (larksuite/node-sdk channel/normalize/converters/{file,image,video}.ts,
 * /work/shared/reference/files-and-p2p.md §1). Such messages carry no mentions.
 */
export function fileMessageEvent(o: FileMessageInput) {
  const now = String(o.createTime ?? Date.now());
  const content =
    o.kind === 'image'
      ? { image_key: o.key }
      : o.kind === 'media'
        ? { file_key: o.key, file_name: o.fileName ?? 'video.mp4', duration: 3000, image_key: `img_v3_${hexId(8)}` }
        : { file_key: o.key, file_name: o.fileName ?? 'file.pdf' };
  return envelope(
    'im.message.receive_v1',
    {
      sender: { sender_id: userIds(o.senderOpenId), sender_type: 'user', tenant_key: FAKE_TENANT_KEY },
      message: {
        message_id: o.messageId ?? `om_${hexId(16)}`,
        root_id: o.rootId ?? o.parentId ?? '',
        parent_id: o.parentId ?? '',
        create_time: now,
        update_time: now,
        chat_id: o.chatId,
        thread_id: '',
        chat_type: o.chatType ?? 'group',
        message_type: o.kind,
        content: JSON.stringify(content),
      },
    },
    o,
    now,
  );
}
