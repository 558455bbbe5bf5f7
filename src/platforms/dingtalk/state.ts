import type { MessageRef } from '../port';
import type { CardShownState } from './card-shown';
import type { DirectChats } from './direct-chats';
import type { QuotaCounter } from './quota';
import type { SignatureClaims } from './signature-ledger';
import type { TallyBuffer } from './tally';

/*
 * What the DingTalk adapter keeps outside the process, shared by every process: platform state, not business
 * records (those are DingTalkRecords, records.ts). The composition root passes the Redis implementation, one
 * file per concept among the Redis repositories (platform-state/dingtalk-*.ts), where each key is described.
 */

/** A message's session webhook: the way to @-mention people in the group, until it expires. */
export interface Session {
  readonly url: string;
  readonly expiresAt: number;
}

export interface WebhookSessions {
  /** Keep the webhook of a message and, when fresher, as the conversation's (not when about to expire). */
  save(chatId: string, msgId: string, session: Session, now: number): Promise<void>;
  /** The message's own webhook, else the conversation's freshest, while valid at `now`. */
  find(chatId: string, msgId: string | undefined, now: number): Promise<Session | undefined>;
}

/** What the adapter sent, so that a repeated send sends nothing again (groupMessages/send has no idempotency). */
export interface SendLedger {
  sent(key: string): Promise<MessageRef | undefined>;
  recordSent(key: string, ref: MessageRef): Promise<void>;
  /** Bumped when a card was created but not delivered, so that the retry makes a new one. */
  cardGeneration(key: string): Promise<number>;
  bumpCardGeneration(key: string): Promise<void>;
  /** The group a template card lives in: its callbacks name the card only. */
  rememberCard(outTrackId: string, chatId: string): Promise<void>;
  cardChat(outTrackId: string): Promise<string | undefined>;
}

export interface CallbackLedger {
  /** True for the first delivery of a card callback, false for every repeat. */
  claim(eventId: string): Promise<boolean>;
  /** The URL the HTTP card-callback route `key` was registered for. */
  route(key: string): Promise<string | undefined>;
  saveRoute(key: string, url: string): Promise<void>;
}

/** What DingTalk's group APIs answered, kept so that a roster read does not ask again (nor spend quota). */
export interface GroupFacts {
  /** Why the group has no member API (the refusal's code), while remembered. */
  noMemberApi(chatId: string): Promise<string | undefined>;
  markNoMemberApi(chatId: string, code: string): Promise<void>;
  /** The scene group's owner: undefined when not looked up yet, "" when looked up and unknown. */
  owner(chatId: string): Promise<string | undefined>;
  saveOwner(chatId: string, owner: string): Promise<void>;
}

export interface DingTalkState {
  readonly sessions: WebhookSessions;
  readonly sends: SendLedger;
  readonly callbacks: CallbackLedger;
  readonly groups: GroupFacts;
  readonly directs: DirectChats;
  readonly shown: CardShownState;
  readonly quota: QuotaCounter;
  readonly signatures: SignatureClaims;
  readonly tally: TallyBuffer;
}
