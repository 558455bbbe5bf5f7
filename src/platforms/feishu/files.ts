import type { Readable } from 'node:stream';
import type { Member } from '../../domain/types';
import type { Logger } from '../../logger';
import type { FileInbound, FileSource, InboundFile } from '../file-port';
import type { FeishuResource } from './client';
import type { MessageEvent } from './decode';
import { decodeFile, imageName } from './decode-file';

/** Waits before the 2nd and 3rd try of an image's first download (its name needs the answer's Content-Type). */
const IMAGE_RETRY_MS = [200, 1000] as const;

export interface FeishuFilesDeps {
  readonly files: FileInbound;
  /** The download of a message's resource (FeishuClient.resource). */
  readonly resource: (messageId: string, fileKey: string, type: 'file' | 'image') => Promise<FeishuResource>;
  readonly memberOf: (chatId: string, id: string) => Promise<Member | undefined>;
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * Files and images members send to the bot (issue 14, materials): in a one-to-one chat every one; in a group one
 * sent as a reply to a duty's card (the app attaches it to that duty) or any other the group delivers (Feishu
 * delivers group messages without an @ only with the `im:message.group_msg` permission). Handled in the background:
 * the webhook is answered at once (Feishu waits 3 s), while the download may be retried for longer.
 */
export class FeishuFiles {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: FeishuFilesDeps) {}

  /** Whether the message carries a file or image: then it is taken here (and never read as a command). */
  take(event: MessageEvent): boolean {
    const ref = decodeFile(event);
    if (!ref) return false;
    const job = this.receive(event, ref).catch((err: unknown) => this.deps.log.error({ err, messageId: event.message.message_id }, 'feishu file failed'));
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    return true;
  }

  /** Resolves once the files being received are done, or after `maxMs` (on stop: a download may be waiting to retry). */
  async idle(maxMs = 5000): Promise<void> {
    if (this.running.size === 0) return;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => setTimeout(resolve, maxMs).unref())]);
  }

  private async receive(event: MessageEvent, ref: NonNullable<ReturnType<typeof decodeFile>>): Promise<void> {
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
      ...(direct ? { direct: true } : {}),
      ...(replyTo ? { replyTo } : {}),
      receivedAt: this.deps.clock(),
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
