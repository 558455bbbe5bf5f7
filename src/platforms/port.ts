import type { FileJob } from './file-port';
import type { CardModel, CardValue } from '../domain/card-model';
import type { ChatRef, Member, PlatformName } from '../domain/types';

/**
 * The one neutral port every platform adapter implements (sandbox, feishu, dingtalk).
 * Handlers and the domain see only these types, never a platform payload.
 */

/** Text with mentions. Adapters render a mention as their platform's at-syntax. */
export type TextSegment = { readonly text: string } | { readonly mention: Pick<Member, 'id' | 'name'> };
export type RichText = readonly TextSegment[];

/** Where a sent message lives, so it can be updated later. Opaque to everything but its adapter. */
export interface MessageRef {
  readonly platform: PlatformName;
  readonly chatId: string;
  readonly messageId: string;
  /** When the message was sent (epoch ms): platforms allow edits for a limited time only. */
  readonly sentAt?: number;
}

export interface SendOptions {
  /** Same key, same message: the platform (or the adapter) drops a repeat send. ≤ 50 characters. */
  readonly idempotencyKey?: string;
  /** Reply to this inbound message where the platform supports replies. */
  readonly replyTo?: string;
}

/** A message of markdown text and 2 to 5 buttons, each opening a URL (no callback to the bot). */
export interface LinkButtons {
  readonly title: string;
  readonly markdown: string;
  readonly buttons: readonly { readonly label: string; readonly url: string }[];
}

export interface PlatformPort {
  readonly name: PlatformName;
  /** How long after sending a card can still be updated (Feishu: 14 days); undefined means forever. */
  readonly cardEditWindowMs?: number;
  /** How many buttons a card can show (DingTalk's template: 2, its markdown cards: none); undefined: every button. */
  readonly cardButtons?: number;
  sendCard(chatId: string, card: CardModel, options?: SendOptions): Promise<MessageRef>;
  updateCard(ref: MessageRef, card: CardModel): Promise<void>;
  sendText(chatId: string, text: RichText, options?: SendOptions): Promise<MessageRef>;
  /**
   * The chat's members, or undefined when the platform keeps no member list for this chat (a DingTalk group that is
   * not a scene group): duties there get an open audience, or the roster kept with 名单.
   */
  listMembers(chatId: string): Promise<Member[] | undefined>;
  /** The users directly in a department of the organisation (名单 部门 <ID>), where the platform has departments. */
  departmentMembers?(deptId: string): Promise<Member[]>;
  /** A one-to-one message to a member, where the platform allows bots to write to people directly. */
  sendDirect?(memberId: string, text: RichText, options?: SendOptions): Promise<MessageRef>;
  /**
   * A message in the group chat that only `memberId` is shown, where the platform has no one-to-one messages but
   * can show a member something privately (the console: its stand-in for a one-to-one message).
   */
  sendPrivate?(chatId: string, memberId: string, text: RichText, options?: SendOptions): Promise<MessageRef>;

  /**
   * A card to one member one-to-one, where the platform allows bots to write to people directly; a click on it
   * comes back from that one-to-one chat, and the card answered to the click updates that copy alone (述职评议: the
   * clicker's own card where the group's card is shared by everyone, as Feishu's JSON 2.0 cards are).
   */
  sendDirectCard?(memberId: string, card: CardModel, options?: SendOptions): Promise<MessageRef>;
  /**
   * A one-to-one message whose 2 to 5 buttons each open a link, where the platform has such messages and no card
   * holding that many callback buttons (DingTalk's sampleActionCard2..5: 述职评议's four choices).
   */
  sendDirectLinks?(memberId: string, message: LinkButtons, options?: SendOptions): Promise<MessageRef>;
  /** The chat's name as the platform shows it (for campaign summaries), when the platform can tell. */
  chatName?(chatId: string): Promise<string | undefined>;
  /** How this platform writes a mention inside plain text (for logs, previews and markdown fallbacks). */
  mention(member: Pick<Member, 'id' | 'name'>): string;
}

/** An inbound chat message addressed to the bot, decoded by an adapter. */
export interface InboundMessage {
  readonly kind: 'message';
  readonly chat: ChatRef;
  /** Platform message id: the dedupe key. */
  readonly messageId: string;
  readonly sender: Member;
  /** The text with the bot's mention stripped; other mentions stay in the text as `@<name>`. */
  readonly text: string;
  /** People mentioned in the message, other than the bot, in order. */
  readonly mentions?: readonly Pick<Member, 'id' | 'name'>[];
  /** A one-to-one chat with the bot rather than a group. */
  readonly direct?: boolean;
  /** When the sender acted, as the platform says (epoch ms), where it says so in a signed or authenticated body. */
  readonly actedAt?: number;
  readonly receivedAt: number;
}

/** An inbound card button click, decoded by an adapter. `value` is still unchecked. */
export interface InboundAction {
  readonly kind: 'action';
  readonly chat: ChatRef;
  /** Names the click in logs (platform event id, or message + actor when none). */
  readonly eventId: string;
  /**
   * The platform's own id of this delivery, when it gives one that is unique per click: the click is then taken
   * once, in the same transaction as the answer it records (a replay is refused and changes nothing).
   */
  readonly deliveryId?: string;
  readonly actor: Member;
  readonly value: unknown;
  /** Form inputs sent with the click (请假 reason). */
  readonly form?: Readonly<Record<string, string>>;
  /**
   * When the member clicked, as the platform says (epoch ms), the same in every redelivery: the answer it records
   * must be newer than the member's current answer (a replayed old click changes nothing).
   */
  readonly actedAt?: number;
  readonly receivedAt: number;
}

/** What a card click is answered with, synchronously (ack first: no network I/O to build it). */
export interface ActionResult {
  readonly toast: { readonly kind: 'success' | 'info' | 'warning' | 'error'; readonly text: string };
  readonly card?: CardModel;
  /**
   * The clicker's own copy of the card, for their eyes only (述职评议: their choice, sealed in the buttons). Shown
   * where the platform keeps a per-clicker view (the console answers it to the clicker alone); never shown to the
   * chat: an adapter that cannot show it to the clicker alone drops it.
   */
  readonly personal?: CardModel;
}

/**
 * Where an adapter hands what it verified and decoded (the composition root, src/bot.ts, builds it): a message or a
 * roster change is queued and worked later (ack first, then work), a card click is answered at once.
 */
export interface Inbound {
  message(message: InboundMessage): Promise<void>;
  /** Someone joined or left `chat`; `eventId` names the platform's event (one refresh per event). */
  roster(chat: ChatRef, eventId: string): Promise<void>;
  action(action: InboundAction): Promise<ActionResult>;
  /** A file message, to be downloaded from the inbound queue (durable): resolves once queued. */
  file(job: FileJob): Promise<void>;
}

export type { CardModel, CardValue };
