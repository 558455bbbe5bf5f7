import type { Duty } from './types';

export interface ReminderPoint {
  /** Minutes before the duty's time. */
  readonly offset: number;
  readonly dueAt: number;
  /** Deterministic BullMQ job id: duty, point and due time (no `:` allowed, ≤ 50 chars for Feishu's uuid). */
  readonly jobId: string;
}

export const reminderJobId = (dutyId: string, offset: number, dueAt: number): string => `rem-${dutyId}-${offset}-${dueAt}`;

/** Every reminder point of a duty, earliest first. Points already past are kept: the caller decides. */
export function reminderPoints(duty: Pick<Duty, 'id' | 'at' | 'reminderOffsets'>): ReminderPoint[] {
  return [...new Set(duty.reminderOffsets)]
    .sort((a, b) => b - a)
    .map((offset) => {
      const dueAt = duty.at - offset * 60000;
      return { offset, dueAt, jobId: reminderJobId(duty.id, offset, dueAt) };
    });
}

/**
 * The points still worth planning at `now`: those due in the future, and, for a point that came due while the
 * bot was down, the latest one due since the plan was made (`duty.updatedAt`), sent late once as long as the
 * duty's time has not passed. Points already past when the plan was made are not sent at all.
 */
export function pointsToPlan(duty: Pick<Duty, 'id' | 'at' | 'reminderOffsets' | 'updatedAt'>, now: number): ReminderPoint[] {
  if (duty.at <= now) return [];
  const points = reminderPoints(duty);
  const future = points.filter((p) => p.dueAt > now);
  const missed = points.filter((p) => p.dueAt <= now && p.dueAt > duty.updatedAt);
  const latestMissed = missed[missed.length - 1];
  return latestMissed ? [latestMissed, ...future] : future;
}

export type ReminderVerdict = 'send' | 'stale' | 'superseded' | 'closed' | 'passed';

/**
 * What the worker does with a reminder job when it runs at `now`.
 * - stale: the duty was rescheduled or its plan changed, so this point no longer exists;
 * - closed: cancelled or done; passed: the duty's time has passed (dropped with a log line);
 * - superseded: a later point is also already due (the bot was down), so only the latest is sent.
 */
export function judgeReminder(duty: Duty, jobId: string, now: number): ReminderVerdict {
  if (duty.state !== 'scheduled') return 'closed';
  const points = reminderPoints(duty);
  const index = points.findIndex((p) => p.jobId === jobId);
  if (index < 0) return 'stale';
  if (now >= duty.at) return 'passed';
  const next = points[index + 1];
  if (next && next.dueAt <= now) return 'superseded';
  return 'send';
}

/** Reminder offsets (minutes) whose point is still ahead at `now`: the reminders that will actually be sent. */
export function upcomingOffsets(duty: Pick<Duty, 'at' | 'reminderOffsets'>, now: number): number[] {
  return [...new Set(duty.reminderOffsets)].sort((a, b) => b - a).filter((o) => duty.at - o * 60000 > now);
}

/** `提前1天、提前1小时`, or a plain statement when no reminder is left to send. */
export function describeReminders(duty: Pick<Duty, 'at' | 'reminderOffsets'>, now: number, formatOffset: (m: number) => string): string {
  if (duty.reminderOffsets.length === 0) return '不提醒';
  const upcoming = upcomingOffsets(duty, now);
  if (upcoming.length === 0) return '时间已近，不再另行提醒';
  return upcoming.map((o) => `提前${formatOffset(o)}`).join('、');
}
