import { dutyRefusal, newTimeRefusal } from '../../src/domain/duty-refusals';
import { canCancel, canNudge, canReschedule, canSetReminders, checkNewTime, MAX_AHEAD_MS } from '../../src/domain/duty-rules';
import type { Duty } from '../../src/domain/types';
import { aMeeting } from '../helpers/duty-fixture';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const HOUR = 3_600_000;
const meeting = aMeeting({ at: NOW + 24 * HOUR, audience: ['u1', 'u2'], createdAt: NOW - 1000 });
const cancelled: Duty = { ...meeting, state: 'cancelled' };
const passed: Duty = { ...meeting, at: NOW - HOUR };
const done: Duty = { ...meeting, at: NOW - HOUR, state: 'done' };
const report: Duty = { ...meeting, kind: 'report', label: '述职' };

describe('canCancel', () => {
  it('should allow a scheduled duty still ahead', () => {
    expect(canCancel(meeting, NOW)).toEqual({ ok: true });
  });

  it('should refuse a cancelled duty as cancelled', () => {
    expect(canCancel(cancelled, NOW)).toEqual({ ok: false, reason: 'cancelled' });
  });

  it('should refuse a duty whose time has come as over', () => {
    expect(canCancel(passed, NOW)).toEqual({ ok: false, reason: 'over' });
    expect(canCancel({ ...meeting, at: NOW }, NOW)).toEqual({ ok: false, reason: 'over' });
  });

  it('should refuse a done duty as over', () => {
    expect(canCancel(done, NOW)).toEqual({ ok: false, reason: 'over' });
  });

  it('should refuse a cancelled duty whose time has passed as cancelled', () => {
    expect(canCancel({ ...cancelled, at: NOW - HOUR }, NOW)).toEqual({ ok: false, reason: 'cancelled' });
  });
});

describe('canReschedule', () => {
  it('should allow a scheduled duty still ahead to move to another time', () => {
    expect(canReschedule(meeting, meeting.at + HOUR, NOW)).toEqual({ ok: true });
  });

  it('should refuse the time the duty already has as same-time', () => {
    expect(canReschedule(meeting, meeting.at, NOW)).toEqual({ ok: false, reason: 'same-time' });
  });

  it('should refuse a cancelled duty as cancelled, before comparing times', () => {
    expect(canReschedule(cancelled, cancelled.at, NOW)).toEqual({ ok: false, reason: 'cancelled' });
  });

  it('should refuse a duty whose time has passed as over', () => {
    expect(canReschedule(passed, NOW + HOUR, NOW)).toEqual({ ok: false, reason: 'over' });
    expect(canReschedule(done, NOW + HOUR, NOW)).toEqual({ ok: false, reason: 'over' });
  });
});

describe('canSetReminders', () => {
  it('should allow a scheduled duty still ahead', () => {
    expect(canSetReminders(meeting, NOW)).toEqual({ ok: true });
  });

  it('should refuse a cancelled duty as cancelled', () => {
    expect(canSetReminders(cancelled, NOW)).toEqual({ ok: false, reason: 'cancelled' });
  });

  it('should refuse a duty whose time has passed, or that is done, as over', () => {
    expect(canSetReminders(passed, NOW)).toEqual({ ok: false, reason: 'over' });
    expect(canSetReminders(done, NOW)).toEqual({ ok: false, reason: 'over' });
  });
});

describe('canNudge', () => {
  it('should allow a meeting before its time', () => {
    expect(canNudge(meeting, NOW)).toEqual({ ok: true });
  });

  it('should allow a report after its deadline (late submissions are taken)', () => {
    expect(canNudge({ ...report, at: NOW - HOUR }, NOW)).toEqual({ ok: true });
    expect(canNudge({ ...report, at: NOW - HOUR, state: 'done' }, NOW)).toEqual({ ok: true });
  });

  it('should refuse a cancelled duty as cancelled, a report too', () => {
    expect(canNudge(cancelled, NOW)).toEqual({ ok: false, reason: 'cancelled' });
    expect(canNudge({ ...report, state: 'cancelled' }, NOW)).toEqual({ ok: false, reason: 'cancelled' });
  });

  it('should refuse a meeting whose time has come as over', () => {
    expect(canNudge(passed, NOW)).toEqual({ ok: false, reason: 'over' });
    expect(canNudge({ ...meeting, at: NOW }, NOW)).toEqual({ ok: false, reason: 'over' });
  });
});

describe('checkNewTime', () => {
  it('should allow a time ahead within three years', () => {
    expect(checkNewTime(NOW + 1, NOW)).toEqual({ ok: true });
    expect(checkNewTime(NOW + MAX_AHEAD_MS, NOW)).toEqual({ ok: true });
  });

  it('should refuse now or a past time as passed', () => {
    expect(checkNewTime(NOW, NOW)).toEqual({ ok: false, reason: 'passed' });
    expect(checkNewTime(NOW - HOUR, NOW)).toEqual({ ok: false, reason: 'passed' });
  });

  it('should refuse a time beyond three years, or no time at all, as too-far', () => {
    expect(checkNewTime(NOW + MAX_AHEAD_MS + 1, NOW)).toEqual({ ok: false, reason: 'too-far' });
    expect(checkNewTime(Number.NaN, NOW)).toEqual({ ok: false, reason: 'too-far' });
    expect(checkNewTime(Number.POSITIVE_INFINITY, NOW)).toEqual({ ok: false, reason: 'too-far' });
  });
});

describe('dutyRefusal', () => {
  it('should word every refusal of 取消', () => {
    expect(dutyRefusal({ request: 'cancel', reason: 'cancelled' }, meeting)).toBe('#7 已经取消过了。');
    expect(dutyRefusal({ request: 'cancel', reason: 'over' }, meeting)).toBe('#7 已结束，不能取消。');
  });

  it('should word every refusal of 改期', () => {
    expect(dutyRefusal({ request: 'reschedule', reason: 'cancelled' }, meeting)).toBe('#7 已取消，不能改期。');
    expect(dutyRefusal({ request: 'reschedule', reason: 'over' }, meeting)).toBe('#7 已结束，不能改期。');
    expect(dutyRefusal({ request: 'reschedule', reason: 'same-time' }, meeting)).toBe('#7 已经是这个时间了。');
  });

  it('should word every refusal of 提醒', () => {
    expect(dutyRefusal({ request: 'set-reminders', reason: 'cancelled' }, meeting)).toBe('#7 已取消，不能设置提醒。');
    expect(dutyRefusal({ request: 'set-reminders', reason: 'over' }, meeting)).toBe('#7 已结束，不能设置提醒。');
  });

  it('should word every refusal of 催办', () => {
    expect(dutyRefusal({ request: 'nudge', reason: 'cancelled' }, meeting)).toBe('#7 已取消，无需催办。');
    expect(dutyRefusal({ request: 'nudge', reason: 'over' }, meeting)).toBe('#7 已结束，无需催办。');
  });
});

describe('newTimeRefusal', () => {
  it('should say a time too far ahead is refused', () => {
    expect(newTimeRefusal('too-far', NOW + MAX_AHEAD_MS + 1, 'Asia/Shanghai', NOW)).toBe('时间太远了：最多安排三年以内的事项。');
  });

  it('should say a past time is over, with the time that was read', () => {
    expect(newTimeRefusal('passed', NOW - HOUR, 'Asia/Shanghai', NOW)).toBe('这个时间已经过去了（11月27日（周五）09:00），请换一个将来的时间。');
  });
});
