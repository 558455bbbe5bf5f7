import type { CardModel } from '../../domain/card-model';
import type { Member } from '../../domain/types';
import type { RichText } from '../port';

/*
 * What the console (the sandbox platform) keeps of its chats, members and messages, as the adapter sees it: the
 * console plays the part of a platform's servers, so this is platform state, not business records. The composition
 * root passes the Redis implementation (src/store/sandbox-repo.ts), where each key is described.
 */

export interface SandboxChat {
  readonly id: string;
  readonly name: string;
}

export interface SandboxMessage {
  readonly id: string;
  readonly chatId: string;
  /** null: the bot. */
  readonly from: Pick<Member, 'id' | 'name'> | null;
  readonly kind: 'text' | 'card';
  readonly text?: RichText;
  readonly card?: CardModel;
  readonly replyTo?: string;
  /**
   * Shown to this member only (the console's stand-in for a one-to-one message, e.g. the organizer's 签到码): the
   * API and the event stream give it to a console speaking as them, and to no one else (receiver.ts).
   */
  readonly to?: Pick<Member, 'id' | 'name'>;
  readonly at: number;
  readonly updatedAt?: number;
}

export type SandboxEvent = { readonly type: 'message' | 'update'; readonly chatId: string; readonly message: SandboxMessage };

/** The latest messages the console opens a chat with (GET /sandbox/api/state); older ones come a page at a time. */
export const SANDBOX_FIRST_PAGE = 100;

export interface SandboxPage {
  /** Oldest first. */
  readonly messages: SandboxMessage[];
  /** Whether older messages exist before the first of these. */
  readonly more: boolean;
}

/** The console's chats and messages (SandboxRepo in src/store/sandbox-repo.ts). */
export interface ConsoleHistory {
  /** The pub/sub channel every new or updated message is published on, as a JSON SandboxEvent. */
  readonly channel: string;
  /** Create or replace a chat and its members. */
  saveChat(chat: SandboxChat, members: readonly Member[]): Promise<void>;
  /** Create a chat with its members unless it exists; true when created. */
  createChat(chat: SandboxChat, members: readonly Member[]): Promise<boolean>;
  chats(): Promise<SandboxChat[]>;
  chat(id: string): Promise<SandboxChat | undefined>;
  members(chatId: string): Promise<Member[]>;
  /** Add a message (once per idempotency key: a repeated send returns the first, `fresh` false). */
  append(message: Omit<SandboxMessage, 'id'>, idempotencyKey?: string): Promise<{ message: SandboxMessage; fresh: boolean }>;
  get(id: string): Promise<SandboxMessage | undefined>;
  updateCard(id: string, card: CardModel, now: number): Promise<SandboxMessage | undefined>;
  /** The latest `limit` messages of a chat (100 unless told), oldest first. */
  history(chatId: string, limit?: number): Promise<SandboxMessage[]>;
  /** A page of a chat's messages, oldest first, before `before` (the latest without it); undefined: no such chat. */
  page(chatId: string, query: { readonly limit: number; readonly before?: string }): Promise<SandboxPage | undefined>;
}
