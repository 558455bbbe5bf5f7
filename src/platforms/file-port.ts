import type { Readable } from 'node:stream';
import type { ChatRef, Member } from '../domain/types';

/** A file a member sent to the bot, decoded by an adapter; its content comes as a stream, never whole. */
export interface InboundFile {
  readonly chat: ChatRef;
  /** The platform's id of the message that carried it: the bot's answers reply to it, once. */
  readonly messageId: string;
  readonly sender: Member;
  /** The file's name as the sender gave it (its extension names its kind). */
  readonly name: string;
  /** A one-to-one chat with the bot. */
  readonly direct?: boolean;
  /**
   * Posted in a group without addressing the bot (Feishu delivers every group message to an app with the
   * group-messages permission): taken only as a reply to a duty's card or after `附件 #n`, else ignored silently.
   */
  readonly unsolicited?: boolean;
  /**
   * The platform's id of the message this file answers (a reply in a group): when it is one of a duty's cards, the
   * file goes to that duty, without a choice card.
   */
  readonly replyTo?: string;
  readonly receivedAt: number;
  /**
   * The durable job handling this file (src/queue/inbound-queue.ts `file`), as `<job id>@<job timestamp>`: the same
   * job run again after its process died is the same delivery (taken again), a platform's redelivery is not.
   */
  readonly delivery?: string;
}

/**
 * A file message an adapter took and acknowledged, handed to the inbound queue before the platform is answered, so a
 * download survives a process that stops or dies (the job is taken again by any process): what the adapter needs
 * to fetch it, JSON, read back by the adapter's own schema (`receiveFile`).
 */
export interface FileJob {
  readonly chat: ChatRef;
  readonly messageId: string;
  readonly payload: Record<string, unknown>;
}

/** What became of a file: kept (attached, or waiting for the sender's choice of duty) or refused, and the answer. */
export interface FileOutcome {
  readonly kept: boolean;
  /** The bot's answer, also posted in the chat. */
  readonly text: string;
}

/**
 * A file on the platform, fetched by the adapter (Feishu's message resources, DingTalk's downloadCode): opened again
 * for each try, so a download that fails half-way is retried from the start.
 */
export type FileSource = () => Promise<Readable>;

/**
 * Where an adapter hands a file (src/app/materials-service.ts implements it): checked before any byte is read
 * (`accepts`), then streamed to storage. Adapters never see the store.
 */
export interface FileInbound {
  /** The largest file accepted, bytes (FILE_MAX_MB): a larger declared size is refused before reading. */
  readonly maxBytes: number;
  /**
   * `body` is the content as it arrives (the console's upload) or a way to download it: a download that fails is
   * retried with backoff, then the sender is told.
   */
  file(file: InboundFile, body: Readable | FileSource, declaredSize?: number): Promise<FileOutcome>;
}
