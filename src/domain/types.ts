/** Neutral types shared by the domain, the store and the platforms. Pure data, no I/O. */

import type { Category } from '../../schedules/categories';

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
  /** 类别 (schedules/categories.ts): given, set by the template item, or read from the title; absent on older duties. */
  readonly category?: Category;
  /** 时长 of a meeting or study session, minutes (120 when absent: src/domain/categories.ts `endOf`). */
  readonly durationMinutes?: number;
  /** 主持人. */
  readonly host?: Pick<Member, 'id' | 'name'>;
  /** 记录人: writes the minutes (the organizer when absent). */
  readonly recorder?: Pick<Member, 'id' | 'name'>;
  /** 议题. */
  readonly agenda?: string;
  /** 签到码 开: members sign in with a 4-digit code the organizer gets one-to-one. */
  readonly signinCode?: boolean;
  /** 需附件: a report counts as submitted only with a file. */
  readonly needsFile?: boolean;
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
  /** Given by the bot, not the member: the organizer attends their own meeting unless they answer otherwise. */
  readonly implied?: boolean;
}

export type HistoryEntry =
  | { readonly type: 'created'; readonly at: number; readonly by: string }
  | { readonly type: 'answer'; readonly at: number; readonly by: string; readonly status: AnswerStatus; readonly reason?: string; readonly previous: AnswerStatus }
  | { readonly type: 'cancelled'; readonly at: number; readonly by: string }
  | { readonly type: 'rescheduled'; readonly at: number; readonly by: string; readonly from: number; readonly to: number }
  | { readonly type: 'reminders'; readonly at: number; readonly by: string; readonly offsets: readonly number[] }
  | { readonly type: 'done'; readonly at: number; readonly by: string }
  | { readonly type: 'delivery-failed'; readonly at: number; readonly by: string; readonly code: string; readonly detail: string }
  /** 纪要 #7 …: the minutes written (`replaced`: there were minutes before, kept in their own entry). */
  | { readonly type: 'minutes'; readonly at: number; readonly by: string; readonly text: string; readonly replaced: boolean }
  /** A member signed in (签到, src/domain/signin.ts); `by` is the member. */
  | { readonly type: 'signin'; readonly at: number; readonly by: string; readonly member: string; readonly how: 'text' | 'button' | 'code'; readonly late?: boolean }
  /** A secretary's correction (补签 / 缺席 / 撤销签到); `by` is the secretary. */
  | { readonly type: 'signin-correction'; readonly at: number; readonly by: string; readonly member: string; readonly action: 'present' | 'absent' | 'revoke'; readonly late?: boolean; readonly reason?: string }
  /** 类别 #7 …: the category changed. */
  | { readonly type: 'category'; readonly at: number; readonly by: string; readonly from: Category; readonly to: Category };

export const chatKey = (chat: ChatRef): string => `${chat.platform}:${chat.chatId}`;
