import { judgeReminder, pointsToPlan, reminderJobId, reminderPoints } from '../../src/domain/reminder-plan';
import { KINDS } from '../../src/domain/duty-kinds';
import type { Duty } from '../../src/domain/types';

const MIN = 60_000;
const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const duty: Duty = {
  id: 'abcdef123456',
  chat: { platform: 'sandbox', chatId: 'branch-1' },
  number: 1,
  kind: 'meeting',
  label: '会议',
  title: 't',
  at: NOW + 2 * 1440 * MIN,
  organizer: { id: 'u1', name: 'a' },
  audience: ['u1'],
  reminderOffsets: [1440, 60],
  state: 'scheduled',
  createdAt: NOW,
  updatedAt: NOW,
};

describe('reminder plans', () => {
  it('should default to 1 day and 1 hour before for meetings and study, 3 days, 1 day and 2 hours for reports', () => {
    expect(KINDS.meeting.defaultOffsets).toEqual([1440, 60]);
    expect(KINDS.study.defaultOffsets).toEqual([1440, 60]);
    expect(KINDS.report.defaultOffsets).toEqual([3 * 1440, 1440, 120]);
  });

  it('should derive job ids from the duty, the point and the due time', () => {
    const points = reminderPoints(duty);
    expect(points.map((p) => p.jobId)).toEqual([reminderJobId(duty.id, 1440, duty.at - 1440 * MIN), reminderJobId(duty.id, 60, duty.at - 60 * MIN)]);
    expect(points[0]?.jobId).toBe(`rem-abcdef123456-1440-${duty.at - 1440 * MIN}`);
    expect(points.every((p) => !p.jobId.includes(':') && p.jobId.length <= 50)).toBe(true);
  });

  it('should give new ids when the duty is rescheduled, so old and new never collide', () => {
    const moved = reminderPoints({ ...duty, at: duty.at + MIN }).map((p) => p.jobId);
    expect(moved.some((id) => reminderPoints(duty).some((p) => p.jobId === id))).toBe(false);
  });

  it('should not plan points already past when the plan is made', () => {
    const soon = { ...duty, at: NOW + 30 * MIN };
    expect(pointsToPlan(soon, NOW)).toEqual([]);
    const tomorrow = { ...duty, at: NOW + 12 * 60 * MIN };
    expect(pointsToPlan(tomorrow, NOW).map((p) => p.offset)).toEqual([60]);
  });

  it('should plan once the latest point that came due while the bot was down', () => {
    const later = NOW + (2 * 1440 - 30) * MIN; // both points due, duty in 30 minutes
    expect(pointsToPlan(duty, later).map((p) => p.offset)).toEqual([60]);
  });

  it('should plan nothing once the duty has passed', () => {
    expect(pointsToPlan(duty, duty.at)).toEqual([]);
  });

  it('should judge each job against the duty as it is now', () => {
    const [first, second] = reminderPoints(duty);
    if (!first || !second) throw new Error('two points expected');
    expect(judgeReminder(duty, first.jobId, first.dueAt)).toBe('send');
    expect(judgeReminder(duty, first.jobId, second.dueAt)).toBe('superseded');
    expect(judgeReminder(duty, second.jobId, duty.at)).toBe('passed');
    expect(judgeReminder({ ...duty, state: 'cancelled' }, first.jobId, first.dueAt)).toBe('closed');
    expect(judgeReminder({ ...duty, at: duty.at + MIN }, first.jobId, first.dueAt)).toBe('stale');
    expect(judgeReminder({ ...duty, reminderOffsets: [120] }, first.jobId, first.dueAt)).toBe('stale');
  });
});
