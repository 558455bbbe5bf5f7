import type { Router } from 'express';
import type { Config } from '../config';
import type { ChatRef, PlatformName } from '../domain/types';
import type { Logger } from '../logger';
import type { DingTalkRecords } from './dingtalk/records';
import type { DingTalkState } from './dingtalk/state';
import type { FileInbound, FileJob } from './file-port';
import type { Pacer } from './pacer';
import type { Inbound, PlatformPort, RichText } from './port';
import type { ConsoleHistory } from './sandbox/history';
import type { SandboxRecords } from './sandbox/seed';

/** Work an adapter defers, named by a chat and a key (DingTalk's tally posts): kept in Redis, retried, run when due. */
export interface DeferredWork {
  readonly chatId: string;
  readonly key: string;
}

/**
 * What the composition root (src/bot.ts) hands every platform: the same object for all, so the root names no
 * platform. Each adapter takes the parts it needs; the Redis implementations live among the repositories (src/store).
 */
export interface PlatformContext {
  readonly config: Config;
  /** Where decoded messages, member changes and clicks go. */
  readonly inbound: Inbound;
  /** Where files sent to the bot go (materials, issue 14), streamed. */
  readonly files: FileInbound;
  /** Sends are paced per platform bucket, across processes. */
  readonly pacer: Pacer;
  /** The chat records (names, titles, roles, rosters): ChatRepo, seen through each adapter's interface. */
  readonly records: DingTalkRecords & SandboxRecords;
  /** What adapters keep for themselves, built on first use. */
  readonly state: {
    dingtalk(): DingTalkState;
    console(): ConsoleHistory;
    /**
     * Listen to a pub/sub channel on a connection of its own (a subscribed connection can run nothing else):
     * resolves once subscribed, with the function that closes it.
     */
    subscribe(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  };
  /** Run `work` through the platform's deferred queue after `delayMs` (one job per `id`), then `runDeferred`. */
  readonly defer: (work: DeferredWork, options: { readonly id: string; readonly delayMs: number }) => Promise<void>;
  /** Post a text through the outbox (retried, sent once per key). */
  readonly notify: (chat: ChatRef, text: RichText, key: string) => Promise<void>;
  readonly clock: () => number;
  readonly log: Logger;
}

/** One platform as the composition root sees it: the same shape for Feishu, DingTalk and the console. */
export interface PlatformModule {
  readonly name: PlatformName;
  /** How the app sends (registered with the PlatformRegistry). */
  readonly port: PlatformPort;
  /** Its webhooks or pages; an empty router when it has none (long connections). */
  router(): Router;
  /** Once Redis is ready: connections, identities, demo data. */
  start(): Promise<void>;
  /** Before the HTTP server closes: end responses that never end by themselves (event streams). */
  closeStreams?(): void;
  stop(): Promise<void>;
  /** A file message it queued (`Inbound.file`), downloaded and handed to the materials; `delivery` names the job run. */
  receiveFile?(job: FileJob, delivery: string): Promise<string>;
  /** The deferred queue's processor, for the platform that defers work. */
  runDeferred?(work: DeferredWork): Promise<string>;
}
