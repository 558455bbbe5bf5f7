import type * as lark from '@larksuiteoapi/node-sdk';
import { Readable } from 'node:stream';
import { classifyThrown } from './errors';

/** A message resource as it starts to arrive: its body (read once), and its size and type when the answer says. */
export interface FeishuResource {
  readonly body: Readable;
  readonly size?: number;
  readonly mime?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A file or image a member sent, streamed (never whole in memory): `GET /open-apis/im/v1/messages/:message_id/
 * resources/:file_key?type=file|image` through the SDK's `im.v1.messageResource.get`, whose answer is read once
 * with `getReadableStream()` (larksuite/node-sdk code-gen/projects/im.ts `messageResource.get`;
 * https://open.feishu.cn/document/server-docs/im-v1/message/get-2). The type comes from Content-Type, the size from
 * Content-Length when the answer tells it (https://open.larksuite.com/document/server-docs/im-v1/message/get.md).
 */
export async function fetchResource(sdk: lark.Client, messageId: string, fileKey: string, type: 'file' | 'image'): Promise<FeishuResource> {
  try {
    const res = await sdk.im.v1.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type } });
    const headers: Record<string, unknown> = isRecord(res.headers) ? res.headers : {};
    const length = Number(headers['content-length']);
    const mime = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
    return { body: res.getReadableStream(), ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}), ...(mime ? { mime } : {}) };
  } catch (err) {
    // An error answer to a stream request carries its body as a stream: drop it, so the connection is freed.
    const data = isRecord(err) && isRecord(err.response) ? err.response.data : undefined;
    if (data instanceof Readable) data.destroy();
    throw classifyThrown(err);
  }
}
