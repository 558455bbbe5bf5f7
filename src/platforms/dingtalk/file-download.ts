import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { PlatformError } from '../../errors';
import type { Logger } from '../../logger';
import { zonedParts } from '../../time/zoned';
import type { InboundMessage } from '../port';
import type { FileInbound, FileSource, InboundFile } from '../file-port';
import type { DingTalkApi } from './api';
import type { RobotFile } from './file-message';

/** A download link answered by DingTalk, opened: the body as it comes, with what the headers say of it. */
export interface OpenedDownload {
  readonly body: Readable;
  /** Content-Type, lower-cased, without parameters. */
  readonly type?: string;
  /** Content-Length, when the link says it. */
  readonly length?: number;
}

export interface DingTalkFilesOptions {
  readonly api: DingTalkApi;
  readonly robotCode: string;
  readonly files: FileInbound;
  /** User-facing times (a picture's name): BOT_TIMEZONE. */
  readonly timeZone: string;
  readonly log: Logger;
  /** A download that takes longer than this is given up (and tried again by the materials). */
  readonly downloadTimeoutMs?: number;
}

const downloadAnswer = z.object({ downloadUrl: z.string().url().max(4096) }).passthrough();
const PICTURE_EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/bmp': 'bmp', 'image/heic': 'heic' };

/**
 * Files and pictures sent to the robot (issue 14), handed to the materials (FileInbound) after the message is acked:
 * DingTalk waits for no download. Each try asks DingTalk for a fresh link to the file —
 * `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` → `{downloadUrl}`
 * (https://open.dingtalk.com/document/development/download-the-file-content-of-the-robot-receiving-message) —
 * then streams it (never whole in memory): the links are temporary. The first try is made here, for what its
 * headers tell (a picture's type, the size refused before reading); the materials make the next ones.
 */
export class DingTalkFiles {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: DingTalkFilesOptions) {}

  /** Hand the message's files over, one after the other, in the background. */
  take(message: InboundMessage, files: readonly RobotFile[]): void {
    const work = (async () => {
      for (const [i, f] of files.entries()) {
        const messageId = i === 0 ? message.messageId : `${message.messageId}-${i + 1}`;
        await this.one({ chat: message.chat, messageId, sender: message.sender, receivedAt: message.receivedAt, ...(message.direct === true ? { direct: true } : {}) }, f).catch(
          (err: unknown) => this.o.log.error({ err, messageId }, 'dingtalk file not handled'),
        );
      }
    })();
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Wait (at most `ms`) for the files being handled: at shutdown. */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.all([...this.running]), late]);
    clearTimeout(timer);
  }

  /** A fresh link to the file, opened. */
  async open(downloadCode: string): Promise<OpenedDownload> {
    const answer = await this.o.api.call({ method: 'POST', base: 'api', path: '/v1.0/robot/messageFiles/download', body: { downloadCode, robotCode: this.o.robotCode } });
    const link = downloadAnswer.safeParse(answer);
    if (!link.success || !/^https?:$/.test(new URL(link.data.downloadUrl).protocol)) throw new PlatformError(false, 'dingtalk messageFiles/download answered without a downloadUrl');
    let res: Response;
    try {
      res = await fetch(link.data.downloadUrl, { signal: AbortSignal.timeout(this.o.downloadTimeoutMs ?? 5 * 60_000) });
    } catch (err) {
      throw new PlatformError(false, `dingtalk file link: ${err instanceof Error ? err.message : String(err)}`, 'NETWORK');
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new PlatformError(false, `dingtalk file link answered HTTP ${res.status}`, res.status);
    }
    const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const length = Number(res.headers.get('content-length') ?? NaN);
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    // A link cut before the materials read it (they check the sender's duties first) must not crash the process:
    // the error stays on the stream, and its reader (pipeline) sees it and tries again.
    body.on('error', (err: unknown) => this.o.log.debug({ err }, 'dingtalk file link broke'));
    return {
      body,
      ...(type ? { type } : {}),
      ...(Number.isInteger(length) && length >= 0 ? { length } : {}),
    };
  }

  private async one(base: Omit<InboundFile, 'name'>, f: RobotFile): Promise<void> {
    let first: OpenedDownload | undefined;
    try {
      first = await this.open(f.downloadCode);
    } catch (err) {
      // The materials try again (with backoff) and tell the sender when every try fails.
      this.o.log.warn({ err }, 'dingtalk file: first download failed');
    }
    const name = f.kind === 'file' ? (f.fileName ?? `文件-${this.stamp(base.receivedAt)}`) : `图片-${this.stamp(base.receivedAt)}.${pictureExt(first?.type)}`;
    let unread = first;
    const source: FileSource = async () => {
      const opened = unread ?? (await this.open(f.downloadCode));
      unread = undefined;
      return opened.body;
    };
    try {
      await this.o.files.file({ ...base, name }, source, first?.length);
    } finally {
      // Refused before reading (too large, no duty): the link's body is dropped unread.
      unread?.body.destroy();
    }
  }

  /** `yyyyMMdd-HHmm`, Beijing time. */
  private stamp(at: number): string {
    const p = zonedParts(at, this.o.timeZone);
    const two = (n: number): string => String(n).padStart(2, '0');
    return `${p.year}${two(p.month)}${two(p.day)}-${two(p.hour)}${two(p.minute)}`;
  }
}

/** A picture's extension from its Content-Type; JPEG when unknown (DingTalk's pictures mostly are). */
function pictureExt(type: string | undefined): string {
  return (type && PICTURE_EXT[type]) ?? 'jpg';
}
