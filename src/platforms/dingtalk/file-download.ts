import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { PlatformError } from '../../errors';
import type { Logger } from '../../logger';
import { zonedParts } from '../../time/zoned';
import type { InboundMessage } from '../port';
import type { FileInbound, FileJob, FileSource, InboundFile } from '../file-port';
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
  /** The durable hand-off (Inbound.file): each file is downloaded from the inbound queue, `run` below. */
  readonly queue: (job: FileJob) => Promise<void>;
  /** User-facing times (a picture's name): BOT_TIMEZONE. */
  readonly timeZone: string;
  readonly log: Logger;
  /** A download that takes longer than this is given up (and tried again by the materials). */
  readonly downloadTimeoutMs?: number;
}

/** What a file job carries (src/queue/inbound-queue.ts `file`): who sent which file where, and when. */
const fileJobSchema = z.object({
  sender: z.object({ id: z.string(), name: z.string() }),
  receivedAt: z.number(),
  direct: z.boolean().optional(),
  file: z.object({ kind: z.enum(['file', 'picture']), downloadCode: z.string().min(1).max(4096), fileName: z.string().max(500).optional() }),
});

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
  constructor(private readonly o: DingTalkFilesOptions) {}

  /**
   * Queue the message's files (one durable job each, src/queue/inbound-queue.ts) before the message is acked: the
   * inbound worker downloads them, and a process that dies mid-download leaves the job to another.
   */
  async take(message: InboundMessage, files: readonly RobotFile[]): Promise<void> {
    for (const [i, f] of files.entries()) {
      const messageId = i === 0 ? message.messageId : `${message.messageId}-${i + 1}`;
      const file = { kind: f.kind, downloadCode: f.downloadCode, ...(f.fileName ? { fileName: f.fileName } : {}) };
      const payload = { sender: { id: message.sender.id, name: message.sender.name }, receivedAt: message.receivedAt, ...(message.direct === true ? { direct: true } : {}), file };
      await this.o.queue({ chat: message.chat, messageId, payload });
    }
  }

  /** The inbound worker's run of a queued file (`delivery` names the job run: src/platforms/file-port.ts). */
  async run(chat: InboundFile['chat'], messageId: string, payload: Record<string, unknown>, delivery: string): Promise<string> {
    const job = fileJobSchema.safeParse(payload);
    if (!job.success) {
      this.o.log.error({ messageId }, 'dingtalk file job unreadable: dropped');
      return 'unreadable file job';
    }
    const { sender, receivedAt, direct, file } = job.data;
    await this.one({ chat, messageId, sender, receivedAt, delivery, ...(direct === true ? { direct: true } : {}) }, file);
    return `file ${messageId}`;
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
