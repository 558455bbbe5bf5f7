import type { RouteInput } from './routes-messages';
import type { FeishuState } from './state';
import { fail, type Reply } from './types';

/** A file or image a user sent, as the fake serves it back to the bot. */
export interface FakeResource {
  /** The message that carried it (the download names both: "file_key and message_id must match"). */
  messageId: string;
  /** `file_key` or `image_key` as the message's content carries it. */
  key: string;
  type: 'file' | 'image';
  bytes: Uint8Array;
  /** Content-Type; default application/octet-stream. */
  contentType?: string;
  /** Sent in Content-Disposition when set (files have one; images none). */
  fileName?: string;
  /** false: no Content-Length (a chunked answer). */
  contentLength?: boolean;
}

/**
 * GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file|image
 * (https://open.feishu.cn/document/server-docs/im-v1/message/get-2; the Lark copy:
 * https://open.larksuite.com/document/server-docs/im-v1/message/get.md): the binary content, its type in Content-Type
 * ("文件类型可通过 response header 中 Content-Type 字段获取"), the name in Content-Disposition (oapi-sdk-go
 * core/apiresp.go `FileNameByHeader` reads it there), the length in Content-Length. `type` is `image` for an image,
 * `file` for a file, audio or video; a wrong type, or a key not in the message, is refused with code 234001 / 234003
 * as the page's error table lists them ("Invalid request param" / "File not in msg"). `failures` counts injected
 * 5xx answers per key (failResource).
 */
export function getResource(state: FeishuState, req: RouteInput): Reply {
  const messageId = req.params.message_id ?? '';
  const key = req.params.file_key ?? '';
  const type = req.query.type;
  if (type !== 'file' && type !== 'image') return fail(234001, 'Invalid request param. type is required: image or file');
  const res = state.resources.get(key);
  if (!res || res.messageId !== messageId) return fail(234003, 'File not in msg.');
  if (res.type !== type) return fail(234001, `Invalid request param. type ${type} does not match the resource`);
  const failing = state.resourceFailures.get(key) ?? 0;
  if (failing > 0) {
    state.resourceFailures.set(key, failing - 1);
    return { status: 500, body: { code: 2200, msg: 'Internal Error' } };
  }
  const headers: Record<string, string> = {};
  if (res.contentLength !== false) headers['content-length'] = String(res.bytes.length);
  if (res.fileName !== undefined) headers['content-disposition'] = `attachment; filename="${encodeURIComponent(res.fileName)}"; filename*=UTF-8''${encodeURIComponent(res.fileName)}`;
  return { status: 200, body: null, bytes: res.bytes, contentType: res.contentType ?? 'application/octet-stream', headers };
}
