import { KINDS } from '../../src/domain/duty-kinds';
import { DEFAULT_QUIET_HOURS, nextAllowed, parseQuietHours, type QuietContext } from '../../src/domain/quiet-hours';
import { judgeReminder, pointsToPlan, reminderJobId, reminderPoints, type PlanContext } from '../../src/domain/reminder-plan';
import { WorkingCalendar } from '../../src/time/calendar';
import { toZonedIso } from '../../src/time/zoned';
import { aMeeting } from '../helpers/duty-fixture';

const MIN = 60_000;
const TZ = 'Asia/Shanghai';
const at = (iso: string): number => Date.parse(iso);
const show = (t: number): string => toZonedIso(t, TZ).slice(0, 16);
const NOW = at('2026-11-27T10:00:00+08:00'); // a Friday
const duty = aMeeting({ number: 1, title: 't', at: at('2026-11-30T15:00:00+08:00'), organizer: { id: 'u1', name: 'a' }, audience: ['u1'], createdAt: NOW }); // Monday
const calendar = new WorkingCalendar();
const quietCtx: QuietContext = { quiet: DEFAULT_QUIET_HOURS, timeZone: TZ, isWorkday: (d) => calendar.isWorkday(d) };
const ctx: PlanContext = { timeZone: TZ, dayOfNudgeMinute: 8 * 60, adjust: (t, d, o) => nextAllowed(t, d.at, quietCtx, o) };

describe('reminder plans', () => {
  it('should default to 1 day and 1 hour before for meetings and study, 3 days, 1 day and 2 hours for reports', () => {
    expect(KINDS.meeting.defaultOffsets).toEqual([1440, 60]);
    expect(KINDS.study.defaultOffsets).toEqual([1440, 60]);
    expect(KINDS.report.defaultOffsets).toEqual([3 * 1440, 1440, 120]);
  });

  it('should derive job ids from the duty, the point and the due time, and end with the escalation', () => {
    const points = reminderPoints(duty);
    expect(points.map((p) => [p.kind, p.jobId, p.first])).toEqual([
      ['remind', reminderJobId(duty.id, 1440, duty.at - 1440 * MIN), true],
      ['remind', reminderJobId(duty.id, 60, duty.at - 60 * MIN), false],
      ['escalate', `esc-${duty.id}-${duty.at}`, false],
    ]);
    expect(points.every((p) => !p.jobId.includes(':') && p.jobId.length <= 50)).toBe(true);
  });

  it('should give new ids when the duty is rescheduled, so old and new never collide', () => {
    const moved = reminderPoints({ ...duty, at: duty.at + MIN }).map((p) => p.jobId);
    expect(moved.some((id) => reminderPoints(duty).some((p) => p.jobId === id))).toBe(false);
  });

  it('should not plan reminder points already past when the plan is made', () => {
    const soon = { ...duty, at: NOW + 30 * MIN };
    expect(pointsToPlan(soon, NOW).map((p) => p.kind)).toEqual(['escalate']);
    const tonight = { ...duty, at: NOW + 12 * 60 * MIN };
    expect(pointsToPlan(tonight, NOW).map((p) => [p.kind, p.offset])).toEqual([['remind', 60], ['escalate', 0]]);
  });

  it('should plan once the latest point that came due while the bot was down', () => {
    const later = duty.at - 30 * MIN; // both points due, duty in 30 minutes
    expect(pointsToPlan(duty, later).map((p) => [p.kind, p.offset])).toEqual([['remind', 60], ['escalate', 0]]);
  });

  it('should plan only the escalation once the duty has passed, and none once it is done', () => {
    expect(pointsToPlan(duty, duty.at).map((p) => p.kind)).toEqual(['escalate']);
    const [first, second, escalation] = reminderPoints(duty);
    if (!first || !second || !escalation) throw new Error('three points expected');
    expect(judgeReminder({ ...duty, state: 'done' }, escalation.jobId, duty.at)).toBe('closed');
  });

  it('should judge each job against the duty as it is now', () => {
    const [first, second, escalation] = reminderPoints(duty);
    if (!first || !second || !escalation) throw new Error('three points expected');
    expect(judgeReminder(duty, first.jobId, first.dueAt)).toBe('send');
    expect(judgeReminder(duty, first.jobId, second.dueAt)).toBe('superseded');
    expect(judgeReminder(duty, second.jobId, duty.at)).toBe('passed');
    expect(judgeReminder(duty, escalation.jobId, duty.at + 5 * MIN)).toBe('send');
    expect(judgeReminder({ ...duty, state: 'cancelled' }, first.jobId, first.dueAt)).toBe('closed');
    expect(judgeReminder({ ...duty, state: 'cancelled' }, escalation.jobId, duty.at)).toBe('closed');
    expect(judgeReminder({ ...duty, at: duty.at + MIN }, first.jobId, first.dueAt)).toBe('stale');
    expect(judgeReminder({ ...duty, reminderOffsets: [120] }, first.jobId, first.dueAt)).toBe('stale');
  });
});

describe('quiet hours and the day-of nudge', () => {
  it('should read quiet hours as written', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ start: 1260, end: 480, enabled: true });
    expect(parseQuietHours('22：30至7：00')).toEqual({ start: 1350, end: 420, enabled: true });
    expect(parseQuietHours('关')?.enabled).toBe(false);
    expect(parseQuietHours('25:00-08:00')).toBeUndefined();
    expect(parseQuietHours('晚上')).toBeUndefined();
  });

  it('should move a point at night to 08:00 the next working morning', () => {
    // Meeting Monday 2026-11-30 09:00: the 1-day reminder falls on Sunday → moved to Monday 08:00.
    const monday = at('2026-11-30T09:00:00+08:00');
    expect(show(nextAllowed(monday - 1440 * MIN, monday, quietCtx))).toBe('2026-11-30T08:00');
    // A 22:00 point on a Tuesday moves to Wednesday 08:00.
    const thursday = at('2026-12-03T15:00:00+08:00');
    expect(show(nextAllowed(at('2026-12-01T22:00:00+08:00'), thursday, quietCtx))).toBe('2026-12-02T08:00');
    expect(show(nextAllowed(at('2026-12-02T06:30:00+08:00'), thursday, quietCtx))).toBe('2026-12-02T08:00');
  });

  it('should skip the National Day holiday and land on the make-up Saturday', () => {
    // 2026-10-01…07 are off; Saturday 10-10 is a make-up working day.
    const meeting = at('2026-10-12T15:00:00+08:00');
    expect(show(nextAllowed(at('2026-10-02T10:00:00+08:00'), meeting, quietCtx))).toBe('2026-10-08T08:00');
    expect(show(nextAllowed(at('2026-10-10T10:00:00+08:00'), meeting, quietCtx))).toBe('2026-10-10T10:00');
  });

  it('should allow points on days off when the duty itself is on a day off, and at night when it is at night', () => {
    const saturdayStudy = at('2026-12-05T09:00:00+08:00');
    expect(show(nextAllowed(at('2026-12-04T09:00:00+08:00'), saturdayStudy, quietCtx))).toBe('2026-12-04T09:00');
    expect(show(nextAllowed(at('2026-12-05T08:00:00+08:00'), saturdayStudy, quietCtx))).toBe('2026-12-05T08:00');
    const earlyDeparture = at('2026-12-02T07:00:00+08:00');
    expect(show(nextAllowed(at('2026-12-02T06:00:00+08:00'), earlyDeparture, quietCtx))).toBe('2026-12-02T06:00');
  });

  it('should keep a point that would slip past the duty, and move the escalation after it', () => {
    const early = at('2026-12-02T08:30:00+08:00');
    expect(show(nextAllowed(at('2026-12-01T23:00:00+08:00'), early, quietCtx))).toBe('2026-12-02T08:00');
    const late = at('2026-12-02T08:05:00+08:00');
    expect(show(nextAllowed(at('2026-12-02T07:05:00+08:00'), late, quietCtx))).toBe('2026-12-02T08:00');
    const lateDeadline = at('2026-12-02T23:00:00+08:00');
    expect(show(nextAllowed(lateDeadline, at('2026-12-02T20:00:00+08:00'), quietCtx, { afterDuty: true }))).toBe('2026-12-03T08:00');
  });

  it('should add a nudge on the duty’s day when no reminder falls on it', () => {
    const wednesday = { ...duty, at: at('2026-12-02T15:00:00+08:00'), reminderOffsets: [2 * 1440] };
    const points = reminderPoints(wednesday, ctx);
    expect(points.map((p) => [p.kind, show(p.dueAt)])).toEqual([
      ['remind', '2026-11-30T15:00'],
      ['nudge', '2026-12-02T08:00'],
      ['escalate', '2026-12-02T15:00'],
    ]);
    // With the 1-hour reminder on that day, no separate nudge.
    expect(reminderPoints({ ...wednesday, reminderOffsets: [2 * 1440, 60] }, ctx).map((p) => p.kind)).toEqual(['remind', 'remind', 'escalate']);
  });

  it('should keep one point when quiet hours move two onto the same moment', () => {
    // Monday 08:30 meeting: the 1-day (Sunday) and 1-hour (07:30) points both move to Monday 08:00.
    const monday = { ...duty, at: at('2026-11-30T08:30:00+08:00') };
    const points = reminderPoints(monday, ctx);
    expect(points.map((p) => [p.kind, p.offset, show(p.dueAt), p.first])).toEqual([
      ['remind', 60, '2026-11-30T08:00', true],
      ['escalate', 0, '2026-11-30T08:30', false],
    ]);
  });
});
