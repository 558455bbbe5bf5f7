import { zonedParts } from '../time/zoned';
import type { Duty } from './types';

/**
 * A duty's plan: one point per reminder offset, a nudge on the day of the duty, and the escalation at its time.
 * Each point becomes one delayed job whose id is derived from the duty, the point and its due time (no `:`,
 * ≤ 50 characters so it can double as Feishu's `uuid`), so re-planning never duplicates.
 */
export type PointKind = 'remind' | 'nudge' | 'escalate';

export interface ReminderPoint {
  readonly kind: PointKind;
  /** Minutes before the duty's time (remind); 0 otherwise. */
  readonly offset: number;
  readonly dueAt: number;
  readonly jobId: string;
  /** The first reminder announces; later ones also nudge those who have not answered. */
  readonly first: boolean;
}

/** Moves a moment out of quiet hours (see quiet-hours.ts); identity when none apply. */
export interface PlanContext {
  readonly adjust?: (t: number, duty: Pick<Duty, 'at'>, options?: { afterDuty?: boolean }) => number;
  /** The time zone of the chat, to find the duty's own day for the day-of nudge. */
  readonly timeZone?: string;
  /** When on the duty's day the nudge goes out (minutes after midnight), default 08:00 (end of quiet hours). */
  readonly dayOfNudgeMinute?: number;
}

type PlanDuty = Pick<Duty, 'id' | 'at' | 'reminderOffsets' | 'updatedAt'>;

export const reminderJobId = (dutyId: string, offset: number, dueAt: number): string => `rem-${dutyId}-${offset}-${dueAt}`;
const nudgeJobId = (dutyId: string, dueAt: number): string => `ndg-${dutyId}-${dueAt}`;
const escalateJobId = (dutyId: string, dueAt: number): string => `esc-${dutyId}-${dueAt}`;

const DAY_OF_MARGIN_MS = 30 * 60000;

/** Every point of a duty, earliest first. Points already past are kept: the caller decides. */
export function reminderPoints(duty: PlanDuty, ctx: PlanContext = {}): ReminderPoint[] {
  const adjust = ctx.adjust ?? ((t: number) => t);
  const byDue = new Map<number, ReminderPoint>();
  const offsets = [...new Set(duty.reminderOffsets)].sort((a, b) => b - a);
  offsets.forEach((offset, i) => {
    const dueAt = adjust(duty.at - offset * 60000, duty);
    // Two offsets moved to the same moment by quiet hours: keep the later (closer) one.
    byDue.set(dueAt, { kind: 'remind', offset, dueAt, jobId: reminderJobId(duty.id, offset, dueAt), first: i === 0 });
  });
  const points = [...byDue.values()].sort((a, b) => a.dueAt - b.dueAt);
  const firstRemind = points[0];
  if (firstRemind && !firstRemind.first) points[0] = { ...firstRemind, first: true };
  if (ctx.timeZone) {
    const tz = ctx.timeZone;
    const d = zonedParts(duty.at, tz);
    const minute = ctx.dayOfNudgeMinute ?? 8 * 60;
    const dayStart = duty.at - ((d.hour * 60 + d.minute) * 60000 + d.second * 1000);
    const nudgeAt = adjust(dayStart + minute * 60000, duty);
    const sameDayAsRemind = points.some((p) => {
      const q = zonedParts(p.dueAt, tz);
      return q.year === d.year && q.month === d.month && q.day === d.day;
    });
    if (!sameDayAsRemind && nudgeAt < duty.at - DAY_OF_MARGIN_MS && nudgeAt > (points[0]?.dueAt ?? -Infinity)) {
      points.push({ kind: 'nudge', offset: 0, dueAt: nudgeAt, jobId: nudgeJobId(duty.id, nudgeAt), first: false });
    }
  }
  const escalateAt = adjust(duty.at, duty, { afterDuty: true });
  points.push({ kind: 'escalate', offset: 0, dueAt: escalateAt, jobId: escalateJobId(duty.id, escalateAt), first: false });
  return points.sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * The points still worth planning at `now`: those due in the future; of the remind/nudge points that came due
 * while the bot was down since the plan was made (`duty.updatedAt`), only the latest, sent late once as long
 * as the duty's time has not passed; and the escalation, which runs once whenever it comes.
 */
export function pointsToPlan(duty: PlanDuty, now: number, ctx: PlanContext = {}): ReminderPoint[] {
  const points = reminderPoints(duty, ctx);
  const escalation = points.filter((p) => p.kind === 'escalate');
  if (duty.at <= now) return escalation;
  const before = points.filter((p) => p.kind !== 'escalate');
  const future = before.filter((p) => p.dueAt > now);
  const missed = before.filter((p) => p.dueAt <= now && p.dueAt > duty.updatedAt);
  const latestMissed = missed[missed.length - 1];
  return [...(latestMissed ? [latestMissed] : []), ...future, ...escalation];
}

export type ReminderVerdict = 'send' | 'stale' | 'superseded' | 'closed' | 'passed';

/**
 * What the worker does with a job when it runs at `now`.
 * - stale: the duty was rescheduled or its plan changed, so this point no longer exists;
 * - closed: cancelled or done; passed: the duty's time has passed (dropped with a log line);
 * - superseded: a later point is also already due (the bot was down), so only the latest is sent.
 */
export function judgeReminder(duty: Duty, jobId: string, now: number, ctx: PlanContext = {}): ReminderVerdict {
  const points = reminderPoints(duty, ctx);
  const point = points.find((p) => p.jobId === jobId);
  if (!point) return 'stale';
  if (point.kind === 'escalate') return duty.state === 'scheduled' ? 'send' : 'closed';
  if (duty.state !== 'scheduled') return 'closed';
  if (now >= duty.at) return 'passed';
  const later = points.filter((p) => p.kind !== 'escalate' && p.dueAt > point.dueAt);
  if (later.some((p) => p.dueAt <= now)) return 'superseded';
  return 'send';
}

/** Reminder offsets (minutes) whose point is still ahead at `now`: the reminders that will actually be sent. */
export function upcomingOffsets(duty: Pick<Duty, 'at' | 'reminderOffsets'>, now: number): number[] {
  return [...new Set(duty.reminderOffsets)].sort((a, b) => b - a).filter((o) => duty.at - o * 60000 > now);
}

/** Reminder offsets (minutes) whose point is already behind at `now`: asked for, but too late to send. */
export function passedOffsets(duty: Pick<Duty, 'at' | 'reminderOffsets'>, now: number): number[] {
  return [...new Set(duty.reminderOffsets)].sort((a, b) => b - a).filter((o) => duty.at - o * 60000 <= now);
}

/**
 * The answer to 提醒 #n … (issue 17 "Replies"): which points remain and which have already passed, rather than a
 * bare "时间已近": `#1 将在提前1小时提醒；提前3天的时间点已经过去。`
 */
export function describeReminderChange(duty: Pick<Duty, 'number' | 'at' | 'reminderOffsets'>, now: number, formatOffset: (m: number) => string): string {
  if (duty.reminderOffsets.length === 0) return `#${duty.number} 不再提醒。`;
  const upcoming = upcomingOffsets(duty, now).map((o) => `提前${formatOffset(o)}`);
  const passed = passedOffsets(duty, now).map((o) => `提前${formatOffset(o)}`);
  const gone = passed.length > 0 ? `${passed.join('、')}的时间点已经过去` : '';
  if (upcoming.length === 0) return `#${duty.number} 的提醒已设置，但${gone}，不再另行提醒。`;
  return `#${duty.number} 将在${upcoming.join('、')}提醒${gone ? `；${gone}` : ''}。`;
}

/** `提前1天、提前1小时`, or a plain statement when no reminder is left to send. */
export function describeReminders(duty: Pick<Duty, 'at' | 'reminderOffsets'>, now: number, formatOffset: (m: number) => string): string {
  if (duty.reminderOffsets.length === 0) return '不提醒';
  const upcoming = upcomingOffsets(duty, now);
  if (upcoming.length === 0) return '时间已近，不再另行提醒';
  return upcoming.map((o) => `提前${formatOffset(o)}`).join('、');
}
