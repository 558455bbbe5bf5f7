import { z } from 'zod';
import type { MessageEvent } from './decode';

/**
 * The content of a file, image or video message as `im.message.receive_v1` carries it (a JSON string):
 * `file` `{file_key, file_name}`, `image` `{image_key}`, `media` `{file_key, file_name, duration, image_key}` (the
 * image being its cover) — larksuite/node-sdk channel/normalize/converters/{file,image,video}.ts, registry.ts maps
 * `media` to the video converter (/work/shared/reference/files-and-p2p.md §1). A video is downloaded like a file
 * (`type=file`: "a file, audio or video", oapi-sdk-go service/im/v1/model.go) and then refused by its kind.
 */
const fileContent = z.object({ file_key: z.string().min(1), file_name: z.string() }).passthrough();
const imageContent = z.object({ image_key: z.string().min(1) }).passthrough();

/** What to download, and how: the key, the resource type the download API takes, and the name when the sender gave one. */
export interface FileRef {
  readonly key: string;
  readonly type: 'file' | 'image';
  readonly name?: string;
}

export function decodeFile(event: MessageEvent): FileRef | undefined {
  const type = event.message.message_type;
  if (type !== 'file' && type !== 'image' && type !== 'media') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.message.content);
  } catch {
    return undefined;
  }
  if (type === 'image') {
    const image = imageContent.safeParse(parsed);
    return image.success ? { key: image.data.image_key, type: 'image' } : undefined;
  }
  const file = fileContent.safeParse(parsed);
  return file.success ? { key: file.data.file_key, type: 'file', name: file.data.file_name } : undefined;
}

/** Extensions for the image types a duty accepts (src/store/files/file-types.ts checks name and content). */
const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/bmp': 'bmp' };

/**
 * An image has no name: `图片-20260312-0930.png`, from when it was sent (Beijing time) and its Content-Type (a JPEG
 * when the type is unknown; the content check refuses it if it is not one).
 */
export function imageName(sentAt: number, mime: string | undefined): string {
  const type = (mime ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const ext = IMAGE_EXTENSIONS[type] ?? 'jpg';
  const bj = new Date(sentAt + 8 * 3600 * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${bj.getUTCFullYear()}${pad(bj.getUTCMonth() + 1)}${pad(bj.getUTCDate())}-${pad(bj.getUTCHours())}${pad(bj.getUTCMinutes())}`;
  return `图片-${stamp}.${ext}`;
}
