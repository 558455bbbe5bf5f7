import type { AnswerStatus, DutyKind } from './types';

/** What each kind of duty is called, which answers it takes, and its default reminder plan. */
export interface KindInfo {
  readonly kind: DutyKind;
  readonly name: string;
  /** The answers a member may give. */
  readonly answers: readonly Exclude<AnswerStatus, 'pending'>[];
  /** Default reminder points in minutes before the time. */
  readonly defaultOffsets: readonly number[];
  /** Word for the time on cards: 开始 for meetings, 截止 for reports. */
  readonly timeLabel: string;
}

const DAY = 24 * 60;
const HOUR = 60;

export const KINDS: Readonly<Record<DutyKind, KindInfo>> = {
  meeting: { kind: 'meeting', name: '会议', answers: ['attending', 'leave'], defaultOffsets: [DAY, HOUR], timeLabel: '时间' },
  study: { kind: 'study', name: '学习', answers: ['attending', 'leave'], defaultOffsets: [DAY, HOUR], timeLabel: '时间' },
  report: { kind: 'report', name: '报告', answers: ['submitted'], defaultOffsets: [3 * DAY, DAY, 2 * HOUR], timeLabel: '截止' },
};

/** Command words that create a duty, and the kind each makes. */
export const KIND_WORDS: Readonly<Record<string, DutyKind>> = {
  会议: 'meeting',
  学习: 'study',
  述职: 'report',
  报告: 'report',
  材料: 'report',
  党课: 'study',
};

export const STATUS_NAMES: Readonly<Record<AnswerStatus, string>> = {
  pending: '未回复',
  attending: '参加',
  leave: '请假',
  submitted: '已提交',
};
