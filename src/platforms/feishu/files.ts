import type { Readable } from 'node:stream';
import type { Member } from '../../domain/types';
import type { Logger } from '../../logger';
import { z } from 'zod';
import type { FileInbound, FileJob, FileSource, InboundFile } from '../file-port';
import type { FeishuResource } from './resource';
import { messageEventSchema, type MessageEvent } from './decode';
import { decodeFile, imageName } from './decode-file';

/** Waits before the 2nd and 3rd try of an image's first download (its name needs the answer's Content-Type). */
const IMAGE_RETRY_MS = [200, 1000] as const;

/** What a file job carries (src/queue/inbound-queue.ts `file`): the event as decoded, and when it arrived. */
const fileJobSchema = z.object({ event: messageEventSchema, receivedAt: z.number() });

export interface FeishuFilesDeps {
  readonly files: FileInbound;
  /** The durable hand-off (Inbound.file): the download runs from the inbound queue, `run` below. */
  readonly queue: (job: FileJob) => Promise<void>;
  /** The download of a message's resource (FeishuClient.resource). */
  readonly resource: (messageId: string, fileKey: string, type: 'file' | 'image') => Promise<FeishuResource>;
  readonly memberOf: (chatId: string, id: string) => Promise<Member | undefined>;
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * Files and images members send to the bot (issue 14, materials): in a one-to-one chat every one; in a group one
 * sent as a reply to a duty's card (the app attaches it to that duty) or any other the group delivers (Feishu
 * delivers group messages without an @ only with the `im:message.group_msg` permission). The webhook queues the file
 * (durable, src/queue/inbound-queue.ts) and is answered at once (Feishu waits 3 s); the inbound worker downloads it,
 * retried for longer, and a process that dies mid-download leaves the job to another.
 */
export class FeishuFiles {
  constructor(private readonly deps: FeishuFilesDeps) {}

  /** Whether the message carries a file or image: then it is queued here (and never read as a command). */
  async take(event: MessageEvent): Promise<boolean> {
    if (!decodeFile(event)) return false;
    const chat = { platform: 'feishu' as const, chatId: event.message.chat_id };
    await this.deps.queue({ chat, messageId: event.message.message_id, payload: { event, receivedAt: this.deps.clock() } });
    return true;
  }

  /** The inbound worker's run of a queued file (`delivery` names the job run: src/platforms/file-port.ts). */
  async run(payload: Record<string, unknown>, delivery: string): Promise<string> {
    const job = fileJobSchema.safeParse(payload);
    const ref = job.success ? decodeFile(job.data.event) : undefined;
    if (!job.success || !ref) {
      this.deps.log.error({ delivery }, 'feishu file job unreadable: dropped');
      return 'unreadable file job';
    }
    await this.receive(job.data.event, ref, job.data.receivedAt, delivery);
    return `file ${job.data.event.message.message_id}`;
  }

  private async receive(event: MessageEvent, ref: NonNullable<ReturnType<typeof decodeFile>>, receivedAt: number, delivery: string): Promise<void> {
    const { message } = event;
    const direct = message.chat_type === 'p2p';
    const senderId = event.sender.sender_id.open_id;
    const known = direct ? undefined : await this.deps.memberOf(message.chat_id, senderId);
    const sentAt = Number(message.create_time) || this.deps.clock();
    const download = (): Promise<FeishuResource> => this.deps.resource(message.message_id, ref.key, ref.type);
    // The first answer tells the size (refused before reading when too large) and, for an image, its type (its name).
    let first: FeishuResource | undefined;
    let firstError: unknown;
    // An image's name (its extension) comes from the answer's Content-Type: its first answer is waited for a little
    // longer, so a passing failure does not name a PNG `.jpg` (then refused by the content check).
    for (const wait of ref.type === 'image' ? [...IMAGE_RETRY_MS, undefined] : [undefined]) {
      try {
        first = await download();
        firstError = undefined;
        break;
      } catch (err) {
        firstError = err;
        if (wait !== undefined) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    const name = ref.name ?? imageName(sentAt, first?.mime);
    const replyTo = replyTarget(message);
    const file: InboundFile = {
      chat: { platform: 'feishu', chatId: message.chat_id },
      messageId: message.message_id,
      sender: known ?? { id: senderId, name: senderId },
      name,
      // A file cannot @-mention the bot: in a group it is for a duty only as a reply to its card or after 附件 #n.
      ...(direct ? { direct: true } : { unsolicited: true }),
      ...(replyTo ? { replyTo } : {}),
      receivedAt,
      delivery,
    };
    // Each try downloads again (a stream is read once): the first try takes the answer already open, or its error.
    let tries = 0;
    const source: FileSource = async (): Promise<Readable> => {
      tries += 1;
      if (tries === 1 && first) {
        const body = first.body;
        first = undefined;
        return body;
      }
      if (tries === 1 && firstError !== undefined) throw firstError;
      return (await download()).body;
    };
    try {
      await this.deps.files.file(file, source, first?.size);
    } finally {
      // Refused before reading (too large, nothing to attach it to): the open answer is dropped unread.
      first?.body.destroy();
    }
  }
}

/**
 * The message a file answers (Feishu's reply: `parent_id`, the message replied to; `root_id`, the first of the
 * thread — https://open.feishu.cn/document/server-docs/im-v1/message/events/receive): a duty's card, perhaps.
 */
function replyTarget(message: MessageEvent['message']): string | undefined {
  const parent = typeof message.parent_id === 'string' ? message.parent_id : '';
  const root = typeof message.root_id === 'string' ? message.root_id : '';
  return parent || root || undefined;
}
