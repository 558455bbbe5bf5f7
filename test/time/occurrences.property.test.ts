import fc from 'fast-check';
import { WorkingCalendar } from '../../src/time/calendar';
import { nextOccurrences } from '../../src/time/occurrences';
import { type RecurrenceRule, recurrenceRuleSchema, ruleUsesCalendar } from '../../src/time/recurrence-rule';
import { zonedParts } from '../../src/time/zoned';

const calendar = new WorkingCalendar();

const time = { version: fc.constant(1 as const), hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) };
const onDayOff = fc.constantFrom('keep' as const, 'next' as const, 'previous' as const);
const weekdays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }).map((days) => [...days].sort((a, b) => a - b));
/** Mondays from 2020 to 2032. */
const anchor = fc.integer({ min: 0, max: 650 }).map((weeks) => new Date(Date.UTC(2020, 0, 6) + weeks * 7 * 86_400_000).toISOString().slice(0, 10));

/** Every kind of rule, with parameters that always have an occurrence within a year. */
const rules: fc.Arbitrary<RecurrenceRule> = fc.oneof(
  fc.record({ kind: fc.constant('daily' as const), ...time, onDayOff }),
  fc.record({ kind: fc.constant('workday' as const), ...time }),
  fc.record({ kind: fc.constant('weekly' as const), ...time, onDayOff, weekdays, interval: fc.constant(1) }),
  fc.record({ kind: fc.constant('weekly' as const), ...time, onDayOff, weekdays, interval: fc.integer({ min: 2, max: 4 }), anchor }),
  fc.record({ kind: fc.constant('monthly-day' as const), ...time, onDayOff, day: fc.integer({ min: 1, max: 31 }) }),
  fc.record({ kind: fc.constant('monthly-weekday' as const), ...time, onDayOff, nth: fc.constantFrom(1, 2, 3, 4, -1), weekday: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constant('nth-workday' as const), ...time, period: fc.constant('month' as const), nth: fc.integer({ min: -15, max: 15 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('nth-workday' as const), ...time, period: fc.constant('quarter' as const), nth: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('nth-workday' as const), ...time, period: fc.constant('year' as const), nth: fc.integer({ min: -200, max: 200 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('yearly-date' as const), ...time, onDayOff, month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }),
);

/** 2020–2032, across 春节/国庆 of published years and into the guessed ones. */
const after = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) });
const timeZone = fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC');
const count = fc.integer({ min: 1, max: 25 });
const RUNS = { numRuns: 200 };

describe('nextOccurrences properties', () => {
  it('should only generate valid rules here', () => {
    fc.assert(
      fc.property(rules, (rule) => recurrenceRuleSchema.safeParse(rule).success),
      RUNS,
    );
  });

  it('should return exactly `count` occurrences, all after `after`, strictly increasing', () => {
    fc.assert(
      fc.property(rules, after, count, timeZone, (rule, from, n, zone) => {
        const occurrences = nextOccurrences(rule, { after: from, count: n, timeZone: zone, calendar });
        expect(occurrences).toHaveLength(n);
        occurrences.forEach((o, i) => {
          expect(o.at).toBeGreaterThan(i === 0 ? from : (occurrences[i - 1]?.at ?? from));
        });
      }),
      RUNS,
    );
  });

  it('should land on working days whenever the rule says 工作日 or 顺延/提前, and flag days off otherwise', () => {
    fc.assert(
      fc.property(rules, after, count, timeZone, (rule, from, n, zone) => {
        for (const o of nextOccurrences(rule, { after: from, count: n, timeZone: zone, calendar })) {
          const { year, month, day, hour, minute } = zonedParts(o.at, zone);
          const workday = calendar.isWorkday({ year, month, day });
          if (ruleUsesCalendar(rule)) {
            expect(workday).toBe(true);
            expect(o.dayOff).toBeUndefined();
          } else {
            expect(o.dayOff === true).toBe(!workday);
          }
          if (zone !== 'America/New_York') expect([hour, minute]).toEqual([rule.hour, rule.minute]);
        }
      }),
      RUNS,
    );
  });

  it('should continue the same sequence when resumed after any occurrence', () => {
    fc.assert(
      fc.property(rules, after, fc.integer({ min: 2, max: 12 }), fc.nat(), (rule, from, n, pick) => {
        const all = nextOccurrences(rule, { after: from, count: n, timeZone: 'Asia/Shanghai', calendar });
        const i = pick % (n - 1);
        const resumed = nextOccurrences(rule, { after: all[i]?.at ?? from, count: n - i - 1, timeZone: 'Asia/Shanghai', calendar });
        expect(resumed).toEqual(all.slice(i + 1));
      }),
      RUNS,
    );
  });
});
