/** Neutral types shared by the domain, the store and the platforms. Pure data, no I/O. */

export type PlatformName = 'sandbox' | 'feishu' | 'dingtalk';

/** A chat on one platform. `key` is unique across platforms: `<platform>:<chatId>`. */
export interface ChatRef {
  readonly platform: PlatformName;
  readonly chatId: string;
}

export interface Member {
  readonly id: string;
  readonly name: string;
  /** Role as the platform reports it (owner / admin), independent of our own secretaries list. */
  readonly platformRole?: 'owner' | 'admin' | 'member';
}

export type DutyKind = 'meeting' | 'study' | 'report';
export type DutyState = 'scheduled' | 'cancelled' | 'done';
export type AnswerStatus = 'pending' | 'attending' | 'leave' | 'submitted';

export interface Duty {
  readonly id: string;
  readonly chat: ChatRef;
  /** Short per-chat number users type as `#7`. */
  readonly number: number;
  readonly kind: DutyKind;
  /** The word the organizer used (会议 / 学习 / 述职 / 报告 / 材料). */
  readonly label: string;
  readonly title: string;
  /** Start (meeting, study) or deadline (report), epoch ms. */
  readonly at: number;
  readonly place?: string;
  readonly link?: string;
  readonly notes?: string;
  readonly organizer: Member;
  /** Member ids expected to answer; the chat's members when the duty was created. */
  readonly audience: readonly string[];
  /**
   * No roster was known when the duty was created (a DingTalk group without a member API and no 名单 yet):
   * whoever answers joins the audience, and the card says that only those who answered are counted.
   */
  readonly audienceOpen?: boolean;
  /** Reminder points, minutes before `at`, largest first. */
  readonly reminderOffsets: readonly number[];
  readonly state: DutyState;
  /** The series (系列) this duty is an occurrence of. */
  readonly seriesId?: string;
  /** The campaign (发起 … 范围 …) this duty is part of. */
  readonly campaignId?: string;
  /** Set when the platform refused a send for good (bot removed, chat disbanded): reminders cannot arrive. */
  readonly deliveryError?: { readonly code: string; readonly detail: string; readonly at: number };
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Answer {
  readonly memberId: string;
  readonly status: Exclude<AnswerStatus, 'pending'>;
  readonly reason?: string;
  readonly at: number;
  /** When the member acted, as the platform said (epoch ms): a later action with an older time changes nothing. */
  readonly actedAt?: number;
  /** A report submitted after its deadline: kept, and marked late. */
  readonly late?: boolean;
}

export type HistoryEntry =
  | { readonly type: 'created'; readonly at: number; readonly by: string }
  | { readonly type: 'answer'; readonly at: number; readonly by: string; readonly status: AnswerStatus; readonly reason?: string; readonly previous: AnswerStatus }
  | { readonly type: 'cancelled'; readonly at: number; readonly by: string }
  | { readonly type: 'rescheduled'; readonly at: number; readonly by: string; readonly from: number; readonly to: number }
  | { readonly type: 'reminders'; readonly at: number; readonly by: string; readonly offsets: readonly number[] }
  | { readonly type: 'done'; readonly at: number; readonly by: string }
  | { readonly type: 'delivery-failed'; readonly at: number; readonly by: string; readonly code: string; readonly detail: string };

export const chatKey = (chat: ChatRef): string => `${chat.platform}:${chat.chatId}`;
