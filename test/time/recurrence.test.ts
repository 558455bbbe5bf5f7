import { WorkingCalendar } from '../../src/time/calendar';
import { describeRule } from '../../src/time/describe-rule';
import { guessedYearsOf, nextOccurrences, type Occurrence } from '../../src/time/occurrences';
import { parseSchedule, type ParseScheduleResult } from '../../src/time/parse-schedule';
import { type RecurrenceRule, recurrenceRuleSchema } from '../../src/time/recurrence-rule';
import { toZonedIso } from '../../src/time/zoned';

const TZ = 'Asia/Shanghai';
const calendar = new WorkingCalendar();
const at = (iso: string): number => Date.parse(iso);
const FRI = at('2026-11-27T10:00:00+08:00');

function ruleOf(result: ParseScheduleResult): RecurrenceRule {
  if (!result.ok || result.kind !== 'recurring') throw new Error(`expected a recurrence, got ${JSON.stringify(result)}`);
  return result.rule;
}

const isoList = (occurrences: readonly Occurrence[], timeZone = TZ): string[] => occurrences.map((o) => toZonedIso(o.at, timeZone));
const base = { version: 1, hour: 9, minute: 0 } as const;

describe('recurrenceRuleSchema', () => {
  it('should accept every rule parseSchedule makes, after a JSON round trip (as stored in Redis)', () => {
    const phrases = ['每天', '每个工作日', '每周一三五', '每两周周三', '每月15号 遇节假日顺延', '每月第二个周五', '每月最后一个周五', '每月最后一个工作日', '每季度第3个工作日', '每年7月1日 遇节假日提前'];
    for (const phrase of phrases) {
      const rule = ruleOf(parseSchedule(phrase, { now: FRI, timeZone: TZ, calendar }));
      const stored = JSON.parse(JSON.stringify(rule)) as unknown;
      const loaded = recurrenceRuleSchema.parse(stored);
      expect(loaded).toEqual(rule);
      expect(nextOccurrences(loaded, { after: FRI, count: 5, timeZone: TZ, calendar })).toEqual(nextOccurrences(rule, { after: FRI, count: 5, timeZone: TZ, calendar }));
    }
  });

  it.each([
    ['unsorted weekdays', { kind: 'weekly', ...base, onDayOff: 'keep', weekdays: [3, 1], interval: 1 }],
    ['every two weeks without an anchor', { kind: 'weekly', ...base, onDayOff: 'keep', weekdays: [1], interval: 2 }],
    ['an anchor that is not a Monday', { kind: 'weekly', ...base, onDayOff: 'keep', weekdays: [1], interval: 2, anchor: '2026-12-01' }],
    ['a 0th working day', { kind: 'nth-workday', ...base, period: 'month', nth: 0 }],
    ['a 24th working day of a month', { kind: 'nth-workday', ...base, period: 'month', nth: 24 }],
    ['a 6th Friday', { kind: 'monthly-weekday', ...base, onDayOff: 'keep', nth: 6, weekday: 5 }],
    ['29 February every year', { kind: 'yearly-date', ...base, onDayOff: 'keep', month: 2, day: 29 }],
    ['31 April', { kind: 'yearly-date', ...base, onDayOff: 'keep', month: 4, day: 31 }],
    ['a 24 o’clock time', { kind: 'daily', ...base, hour: 24, onDayOff: 'keep' }],
    ['an unknown kind', { kind: 'hourly', ...base }],
    ['a newer version', { kind: 'workday', ...base, version: 2 }],
    ['an extra field', { kind: 'workday', ...base, timeZone: 'Asia/Shanghai' }],
    ['a missing onDayOff', { kind: 'monthly-day', ...base, day: 5 }],
  ])('should refuse %s', (_what, rule) => {
    expect(recurrenceRuleSchema.safeParse(rule).success).toBe(false);
  });
});

describe('describeRule', () => {
  it.each<[RecurrenceRule, string]>([
    [{ kind: 'daily', ...base, onDayOff: 'keep' }, '每天 09:00'],
    [{ kind: 'workday', ...base, hour: 17, minute: 30 }, '每个工作日 17:30'],
    [{ kind: 'weekly', ...base, onDayOff: 'next', weekdays: [1, 3, 5], interval: 1 }, '每周一、三、五 09:00，遇节假日顺延'],
    [{ kind: 'weekly', ...base, onDayOff: 'keep', weekdays: [7], interval: 3, anchor: '2026-11-30' }, '每三周的周日 09:00（从2026年11月30日那周算起）'],
    [{ kind: 'monthly-day', ...base, onDayOff: 'previous', day: 15 }, '每月15日 09:00，遇节假日提前'],
    [{ kind: 'monthly-weekday', ...base, onDayOff: 'keep', nth: -1, weekday: 5 }, '每月最后一个周五 09:00'],
    [{ kind: 'nth-workday', ...base, hour: 15, period: 'month', nth: -1 }, '每月最后一个工作日 15:00'],
    [{ kind: 'nth-workday', ...base, period: 'quarter', nth: 12 }, '每季度第十二个工作日 09:00'],
    [{ kind: 'nth-workday', ...base, period: 'year', nth: -2 }, '每年倒数第二个工作日 09:00'],
    [{ kind: 'yearly-date', ...base, onDayOff: 'keep', month: 7, day: 1 }, '每年7月1日 09:00'],
  ])('should describe %j as %s', (rule, words) => {
    expect(describeRule(rule)).toBe(words);
  });
});

describe('nextOccurrences', () => {
  const weekendsMoved: RecurrenceRule = { kind: 'weekly', ...base, onDayOff: 'next', weekdays: [6, 7], interval: 1 };

  it('should keep one occurrence when 顺延 makes several meet, and flag where they came from', () => {
    const occurrences = nextOccurrences(weekendsMoved, { after: at('2026-02-13T10:00:00+08:00'), count: 6, timeZone: TZ, calendar });
    expect(isoList(occurrences)).toEqual([
      '2026-02-14T09:00:00+08:00', // a 调休 Saturday: stays
      '2026-02-24T09:00:00+08:00', // Sun 15, Sat 21 and Sun 22 all land here
      '2026-02-28T09:00:00+08:00', // a 调休 Saturday
      '2026-03-02T09:00:00+08:00',
      '2026-03-09T09:00:00+08:00',
      '2026-03-16T09:00:00+08:00',
    ]);
    expect(occurrences[1]).toEqual({ at: at('2026-02-24T09:00:00+08:00'), movedFrom: '2026-02-15' });
    expect(occurrences[0]).toEqual({ at: at('2026-02-14T09:00:00+08:00') });
  });

  it('should include an occurrence 顺延 from before `after` to after it', () => {
    const mondays: RecurrenceRule = { kind: 'weekly', ...base, onDayOff: 'next', weekdays: [1], interval: 1 };
    const occurrences = nextOccurrences(mondays, { after: at('2026-02-20T10:00:00+08:00'), count: 2, timeZone: TZ, calendar });
    expect(isoList(occurrences)).toEqual(['2026-02-24T09:00:00+08:00', '2026-03-02T09:00:00+08:00']);
  });

  it('should push a month’s occurrence into the next month and still keep the order', () => {
    const thirtyFirst: RecurrenceRule = { kind: 'monthly-day', ...base, onDayOff: 'next', day: 31 };
    const occurrences = nextOccurrences(thirtyFirst, { after: at('2026-10-01T00:00:00+08:00'), count: 3, timeZone: TZ, calendar });
    expect(isoList(occurrences)).toEqual(['2026-11-02T09:00:00+08:00', '2026-11-30T09:00:00+08:00', '2026-12-31T09:00:00+08:00']);
  });

  it('should start strictly after `after`, even when `after` is an occurrence', () => {
    const rule = ruleOf(parseSchedule('每月最后一个工作日 15:00', { now: FRI, timeZone: TZ, calendar }));
    const first = nextOccurrences(rule, { after: at('2026-11-30T15:00:00+08:00'), count: 1, timeZone: TZ, calendar });
    expect(isoList(first)).toEqual(['2026-12-31T15:00:00+08:00']);
  });

  it('should resume after any occurrence with the same continuation', () => {
    const rule = ruleOf(parseSchedule('每周一 遇节假日顺延', { now: FRI, timeZone: TZ, calendar }));
    const all = nextOccurrences(rule, { after: at('2026-01-01T00:00:00+08:00'), count: 20, timeZone: TZ, calendar });
    const from5 = nextOccurrences(rule, { after: all[4]?.at ?? 0, count: 15, timeZone: TZ, calendar });
    expect(from5).toEqual(all.slice(5));
  });

  it('should keep wall-clock time across a DST change in a zone that has one', () => {
    const daily: RecurrenceRule = { kind: 'daily', ...base, onDayOff: 'keep' };
    const occurrences = nextOccurrences(daily, { after: at('2026-03-06T12:00:00-05:00'), count: 3, timeZone: 'America/New_York', calendar });
    expect(isoList(occurrences, 'America/New_York')).toEqual(['2026-03-07T09:00:00-05:00', '2026-03-08T09:00:00-04:00', '2026-03-09T09:00:00-04:00']);
  });

  it('should stop at the end of 2099 and check its arguments', () => {
    const yearly: RecurrenceRule = { kind: 'yearly-date', ...base, onDayOff: 'keep', month: 6, day: 1 };
    expect(nextOccurrences(yearly, { after: at('2097-01-01T00:00:00+08:00'), count: 10, timeZone: TZ, calendar })).toHaveLength(3);
    expect(nextOccurrences(yearly, { after: FRI, count: 0, timeZone: TZ, calendar })).toEqual([]);
    expect(() => nextOccurrences(yearly, { after: FRI, count: 1001, timeZone: TZ, calendar })).toThrow(RangeError);
    expect(() => nextOccurrences(yearly, { after: Number.NaN, count: 1, timeZone: TZ, calendar })).toThrow(RangeError);
  });

  it('should name the unpublished years the dates rest on', () => {
    const newYearEarlier: RecurrenceRule = { kind: 'monthly-day', ...base, onDayOff: 'previous', day: 1 };
    const occurrences = nextOccurrences(newYearEarlier, { after: at('2026-12-02T00:00:00+08:00'), count: 1, timeZone: TZ, calendar });
    expect(occurrences).toEqual([{ at: at('2026-12-31T09:00:00+08:00'), guessed: true, movedFrom: '2027-01-01' }]);
    expect(guessedYearsOf(newYearEarlier, occurrences, TZ, calendar)).toEqual([2027]);
    const kept: RecurrenceRule = { kind: 'monthly-day', ...base, onDayOff: 'keep', day: 1 };
    const keptOccurrences = nextOccurrences(kept, { after: at('2026-12-02T00:00:00+08:00'), count: 1, timeZone: TZ, calendar });
    expect(keptOccurrences).toEqual([{ at: at('2027-01-01T09:00:00+08:00'), dayOff: true, guessed: true }]);
    expect(guessedYearsOf(kept, keptOccurrences, TZ, calendar)).toEqual([]);
  });
});

describe('parseSchedule', () => {
  it('should hand one-off phrases to parseTime', () => {
    expect(parseSchedule('明天下午3点', { now: FRI, timeZone: TZ, calendar })).toEqual({ ok: true, kind: 'once', at: at('2026-11-28T15:00:00+08:00') });
    expect(parseSchedule('', { now: FRI, timeZone: TZ, calendar })).toEqual({ ok: false, error: expect.stringContaining('没写时间') });
  });

  it('should use 18:00 for a recurring deadline given by the option', () => {
    const rule = ruleOf(parseSchedule('每月最后一个工作日', { now: FRI, timeZone: TZ, calendar, deadline: true }));
    expect(rule).toEqual({ kind: 'nth-workday', version: 1, hour: 18, minute: 0, period: 'month', nth: -1 });
  });

  it('should warn about a guessed year only when the dates depend on the calendar', () => {
    const workdays = parseSchedule('每月第一个工作日', { now: at('2026-12-10T10:00:00+08:00'), timeZone: TZ, calendar });
    expect(workdays).toMatchObject({ ok: true, warning: '2027年的节假日安排尚未公布，按周一至周五推算（已计入法定节日，未计调休）' });
    const fixed = parseSchedule('每月1号', { now: at('2026-12-10T10:00:00+08:00'), timeZone: TZ, calendar });
    expect(fixed).not.toHaveProperty('warning');
  });

  it('should accept the ways people write 顺延 and 提前', () => {
    for (const phrase of ['每月15号遇节假日顺延', '每月15号，逢节假日顺延', '每月15号 节假日顺延至下一个工作日', '每月15号（如遇周末或节假日则顺延）'.replace(/[（）]/g, '')]) {
      expect(ruleOf(parseSchedule(phrase, { now: FRI, timeZone: TZ, calendar }))).toMatchObject({ kind: 'monthly-day', day: 15, onDayOff: 'next' });
    }
    expect(ruleOf(parseSchedule('每月15号下午3点 遇节假日提前', { now: FRI, timeZone: TZ, calendar }))).toMatchObject({ hour: 15, onDayOff: 'previous' });
  });
});
