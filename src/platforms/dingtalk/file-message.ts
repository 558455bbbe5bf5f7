import { z } from 'zod';

/**
 * The files a robot message carries (issue 14), read from its `content`
 * (https://open.dingtalk.com/document/development/receive-message, /work/shared/reference/files-and-p2p.md §3):
 * - `file`: `{fileName, downloadCode, spaceId, fileId}`: only in a one-to-one chat with the robot;
 * - `picture`: `{downloadCode, pictureDownloadCode}`: one-to-one, or in a group with an @;
 * - `richText`: `content.richText[]` items, pictures among them as `{type: "picture", downloadCode}`.
 * Each is fetched through `downloadCode` (https://open.dingtalk.com/document/development/download-the-file-content-of-the-robot-receiving-message).
 * Audio and video carry a downloadCode too: they are no material, so they are not read here.
 */
export interface RobotFile {
  readonly kind: 'file' | 'picture';
  readonly downloadCode: string;
  /** The name the sender's file has; a picture has none. */
  readonly fileName?: string;
}

const code = z.string().min(1).max(4096);
const fileContent = z.object({ downloadCode: code, fileName: z.string().max(500).optional() }).passthrough();
const pictureContent = z.object({ downloadCode: code }).passthrough();
const richPicture = z.object({ type: z.literal('picture'), downloadCode: code }).passthrough();
const richContent = z.object({ richText: z.array(z.unknown()).max(100) }).passthrough();

/** The files of a message: none for text and everything we do not take (audio, video, a content we cannot read). */
export function robotFilesOf(msgtype: string | undefined, content: unknown): RobotFile[] {
  if (msgtype === 'file') {
    const r = fileContent.safeParse(content);
    return r.success ? [{ kind: 'file', downloadCode: r.data.downloadCode, ...(r.data.fileName ? { fileName: r.data.fileName } : {}) }] : [];
  }
  if (msgtype === 'picture') {
    const r = pictureContent.safeParse(content);
    return r.success ? [{ kind: 'picture', downloadCode: r.data.downloadCode }] : [];
  }
  if (msgtype === 'richText') {
    const r = richContent.safeParse(content);
    if (!r.success) return [];
    return r.data.richText.flatMap((item) => {
      const p = richPicture.safeParse(item);
      return p.success ? [{ kind: 'picture' as const, downloadCode: p.data.downloadCode }] : [];
    });
  }
  return [];
}
