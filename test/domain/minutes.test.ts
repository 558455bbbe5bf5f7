import { judgeMinutes, MINUTES_MAX_CHARS, minutesHorizonStart, minutesPoints } from '../../src/domain/minutes';
import { parseLedgerPeriod, readMinutesCommand } from '../../src/domain/minutes-ledger';
import type { Duty } from '../../src/domain/types';
import { defaultCalendar } from '../../src/store/holiday-files';

const TZ = 'Asia/Shanghai';
const shanghai = (wall: string): number => Date.parse(`${wall}:00+08:00`);

const duty = (over: Partial<Duty> = {}): Duty => ({
  id: 'd1',
  chat: { platform: 'sandbox', chatId: 'c' },
  number: 7,
  kind: 'meeting',
  label: '会议',
  title: '支部委员会',
  at: shanghai('2026-12-03T15:00'),
  organizer: { id: 'org', name: '王建国' },
  audience: ['org', 'rec', 'm'],
  reminderOffsets: [],
  state: 'scheduled',
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

describe('who may write minutes (judgeMinutes)', () => {
  it.each([
    ['the recorder', duty({ recorder: { id: 'rec', name: '李明' } }), 'rec', false, undefined],
    ['the organizer when a recorder is named', duty({ recorder: { id: 'rec', name: '李明' } }), 'org', false, undefined],
    ['the organizer without a recorder', duty(), 'org', false, undefined],
    ['a secretary', duty(), 'm', true, undefined],
    ['an ordinary member', duty(), 'm', false, 'not-allowed'],
    ['anyone on a cancelled duty', duty({ state: 'cancelled' }), 'org', true, 'cancelled'],
    ['anyone on a report', duty({ kind: 'report' }), 'org', true, 'report'],
  ])('should answer %s', (_what, d, member, secretary, expected) => {
    expect(judgeMinutes(d, member, secretary, '内容')).toBe(expected);
  });

  it('should count characters, not UTF-16 units, against the limit', () => {
    expect(judgeMinutes(duty(), 'org', false, '𠀀'.repeat(MINUTES_MAX_CHARS))).toBeUndefined();
    expect(judgeMinutes(duty(), 'org', false, '议'.repeat(MINUTES_MAX_CHARS + 1))).toBe('too-long');
    expect(judgeMinutes(duty(), 'org', false, '  ')).toBe('empty');
  });
});

describe('when missing minutes are reminded (minutesPoints)', () => {
  it('should count working days past a holiday: a meeting on 30 September reminds after the National Day week', () => {
    const points = minutesPoints(duty({ at: shanghai('2026-09-30T15:00') }), defaultCalendar(), TZ);
    // 1–7 October are days off, Saturday 10 October a make-up working day (2026 calendar): 8, 9, 10 → the 10th.
    expect(points.map((p) => [p.step, p.to, p.dueAt])).toEqual([
      [1, 'recorder', shanghai('2026-10-10T09:00')],
      [2, 'recorder', shanghai('2026-10-12T09:00')],
      [3, 'recorder', shanghai('2026-10-13T09:00')],
      [4, 'secretaries', shanghai('2026-10-14T09:00')],
    ]);
  });

  it('should count from the end (start + 时长), not the start', () => {
    const late = minutesPoints(duty({ at: shanghai('2026-12-03T22:00'), durationMinutes: 180 }), defaultCalendar(), TZ);
    // Ends Friday 4 December 01:00: Mon 7, Tue 8, Wed 9 → first reminder on the 9th.
    expect(late[0]?.dueAt).toBe(shanghai('2026-12-09T09:00'));
  });

  it('should plan none for a report', () => {
    expect(minutesPoints(duty({ kind: 'report' }), defaultCalendar(), TZ)).toEqual([]);
  });
});

describe('how far back a minutes reminder can still be due (minutesHorizonStart)', () => {
  it('should reach past the National Day week: on 14 October, to a meeting that ended on 30 September', () => {
    // The meeting above (ends 30 September 17:00) has its last reminder on 14 October at 09:00.
    expect(minutesHorizonStart(shanghai('2026-10-14T08:00'), defaultCalendar(), TZ)).toBeLessThanOrEqual(shanghai('2026-09-30T17:00'));
  });

  it('should leave behind only meetings whose every reminder is past, at any hour of 2026', () => {
    const calendar = defaultCalendar();
    for (let now = shanghai('2026-01-01T00:00'); now < shanghai('2027-01-01T00:00'); now += 5 * 3_600_000) {
      const start = minutesHorizonStart(now, calendar, TZ);
      // A meeting ending a minute before the horizon has no reminder after now; one ending at it may have one.
      const before = minutesPoints(duty({ at: start - 120 * 60_000 - 60_000 }), calendar, TZ);
      expect({ now, last: Math.max(...before.map((p) => p.dueAt)) <= now }).toEqual({ now, last: true });
      expect(start).toBeLessThanOrEqual(now - 6 * 86_400_000);
    }
  });
});

describe('reading 纪要 and 台账', () => {
  it.each([
    ['#7 内容', 7, '内容'],
    ['＃７：内容', 7, '内容'],
    ['7，会议决定', 7, '会议决定'],
    ['#12', 12, ''],
  ])('should read %s', (args, number, text) => {
    expect(readMinutesCommand(args)).toEqual({ number, text });
  });

  it('should read a year alone and the 统计 periods', () => {
    const now = shanghai('2026-12-05T10:00');
    const year = parseLedgerPeriod('2025年', now, TZ);
    expect(year.ok && year.period.title).toBe('2025年');
    const quarter = parseLedgerPeriod('本季度', now, TZ);
    expect(quarter.ok && quarter.period.title).toBe('2026年第四季度');
    const bad = parseLedgerPeriod('下辈子', now, TZ);
    expect(bad.ok ? '' : bad.error).toContain('台账 本年');
  });
});
