import { attendanceLine } from '../../src/domain/attendance';
import {
  attendanceSummary,
  checkCode,
  checkSignin,
  computeAttendance,
  isLate,
  MAX_WRONG_CODES,
  signinOpen,
  signinRefusalText,
  signinWindow,
  type SigninRecord,
  usedSignin,
} from '../../src/domain/signin';
import { signinRecordSchema } from '../../src/domain/signin-schemas';
import type { Answer } from '../../src/domain/types';
import { aMeeting } from '../helpers/duty-fixture';

const TZ = 'Asia/Shanghai';
const MIN = 60_000;
const AT = Date.parse('2026-11-28T15:00:00+08:00');
const duty = aMeeting({ at: AT, audience: ['u1', 'u2', 'u3', 'u4', 'u5'], reminderOffsets: [60], createdAt: AT - 86_400_000 });
const names = new Map([
  ['u1', '王建国'],
  ['u2', '李明'],
  ['u3', '张丽'],
  ['u4', '刘洋'],
  ['u5', '陈静'],
]);

describe('the sign-in window', () => {
  it('should open 30 minutes before the start and close at the end (start + 时长, 2 h by default)', () => {
    expect(signinWindow(duty)).toEqual({ opens: AT - 30 * MIN, closes: AT + 120 * MIN });
    expect(signinWindow({ ...duty, durationMinutes: 90 })).toEqual({ opens: AT - 30 * MIN, closes: AT + 90 * MIN });
  });

  it.each([
    ['31 minutes before', AT - 31 * MIN, 'not-open'],
    ['30 minutes before', AT - 30 * MIN, undefined],
    ['at the start', AT, undefined],
    ['a minute before the end', AT + 119 * MIN, undefined],
    ['at the end', AT + 120 * MIN, 'closed'],
  ])('should judge a sign-in %s', (_label, now, verdict) => {
    expect(checkSignin(duty, 'u2', now)).toBe(verdict);
    expect(signinOpen(duty, now)).toBe(verdict === undefined);
  });

  it('should refuse a cancelled duty, a report and a non-member, and say when it opens', () => {
    expect(checkSignin({ ...duty, state: 'cancelled' }, 'u2', AT)).toBe('cancelled');
    expect(checkSignin({ ...duty, kind: 'report' }, 'u2', AT)).toBe('report');
    expect(checkSignin(duty, 'u9', AT)).toBe('not-member');
    expect(checkSignin({ ...duty, audienceOpen: true, audience: [] }, 'u9', AT)).toBeUndefined();
    expect(checkSignin({ ...duty, state: 'done' }, 'u2', AT + MIN)).toBeUndefined();
    expect(signinRefusalText('not-open', duty, TZ, AT - 2 * 86_400_000)).toBe('#7 还没到签到时间：11月28日（周六）14:30 开始签到（开始前30分钟）。');
  });

  it('should mark 迟到 only more than 10 minutes after the start', () => {
    expect(isLate(duty, AT + 10 * MIN)).toBe(false);
    expect(isLate(duty, AT + 10 * MIN + 1)).toBe(true);
  });
});

describe('sign-in codes', () => {
  it.each([
    ['4821', 0, 'ok'],
    ['4820', 0, 'wrong'],
    [undefined, 0, 'missing'],
    ['48a1', 0, 'malformed'],
    ['48210', 0, 'malformed'],
    ['4821', MAX_WRONG_CODES - 1, 'ok'],
    ['4821', MAX_WRONG_CODES, 'locked'],
  ] as const)('should judge %s after %i wrong codes as %s', (given, wrong, verdict) => {
    expect(checkCode(given, '4821', wrong)).toBe(verdict);
  });
});

describe('the attendance summary', () => {
  const present = (at: number, late = false): SigninRecord => ({ status: 'present', at, by: 'x', how: 'text', ...(late ? { late } : {}) });
  const records = new Map<string, SigninRecord>([
    ['u1', present(AT - 5 * MIN)],
    ['u2', present(AT + 20 * MIN, true)],
    // On leave, and came all the same: present.
    ['u3', present(AT)],
    ['u5', { status: 'absent', at: AT, by: 'u1', how: 'corrected', reason: '无故未到' }],
  ]);
  const answers = new Map<string, Answer>([
    ['u3', { memberId: 'u3', status: 'leave', reason: '出差', at: AT - 86_400_000 }],
    ['u4', { memberId: 'u4', status: 'leave', reason: '外出培训', at: AT - 86_400_000 }],
  ]);

  it('should count present, on leave, absent and late, with names and reasons', () => {
    const a = computeAttendance(duty, records, answers, names);
    expect(attendanceLine(a)).toBe('应到 5 · 实到 3 · 请假 1 · 缺席 1 · 迟到 1');
    expect(attendanceSummary(duty, a)).toBe(
      ['📋 #7「支部委员会」签到结果：应到 5 · 实到 3 · 请假 1 · 缺席 1 · 迟到 1', '实到：王建国、李明（迟到）、张丽', '请假：刘洋（外出培训）', '缺席：陈静（无故未到）'].join('\n'),
    );
  });

  it('should say the attendance comes from the sign-ins, and that a meeting used them only with a record', () => {
    expect(computeAttendance(duty, records, answers, names).source).toBe('signin');
    expect(usedSignin(records)).toBe(true);
    // A secretary's 缺席 alone is a use; nobody signed in and nobody corrected is not (the RSVP stands).
    expect(usedSignin(new Map([['u5', { status: 'absent', at: AT, by: 'u1', how: 'corrected' } as const]]))).toBe(true);
    expect(usedSignin(new Map())).toBe(false);
  });

  it('should count as absent whoever neither signed in nor asked leave', () => {
    const a = computeAttendance(duty, new Map(), new Map(), names);
    expect(attendanceLine(a)).toBe('应到 5 · 实到 0 · 请假 0 · 缺席 5 · 迟到 0');
  });

  it('should read back a record through its schema exactly', () => {
    for (const r of records.values()) expect(signinRecordSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(signinRecordSchema.safeParse({ status: 'came', at: 1, by: 'x', how: 'text' }).success).toBe(false);
  });
});
