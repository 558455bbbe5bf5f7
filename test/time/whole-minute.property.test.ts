/**
 * Every instant the time grammar gives is a whole minute, whatever the seconds of `now`: `下午3点` at 10:17:53.421
 * is 15:00:00.000, not 15:00:53 (reminders then fired at :53). `N分钟后` is rounded up, never sooner than asked.
 */
import fc from 'fast-check';
import { WorkingCalendar } from '../../src/time/calendar';
import { parseSchedule } from '../../src/time/parse-schedule';
import { parseTime } from '../../src/time/parse-time';
import { CASES, NOW, TZ } from './phrase-table';

const calendar = new WorkingCalendar();
const MINUTE = 60_000;
/** 10:17:53.421 Beijing, the morning the bug was seen. */
const SECONDS_NOW = Date.parse('2026-12-05T10:17:53.421+08:00');

const PHRASES = [
  ...new Set([
    ...CASES.map((c) => c.phrase),
    '下午3点', '15:00', '9点', '晚上12点', '今天下午3点', '明天', '3天后', '2周后', '1个月后', '周五', '上周五', '昨天下午3点',
    '10分钟后', '1分钟后', '半小时后', '1个半小时后', '2小时后', '月底', '下个工作日', '12月1日下午3点',
  ]),
];

/** Any instant from 2026 to 2028, at any second and millisecond. */
const now = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) });

describe('whole minutes', () => {
  it('should give 15:00:00.000 for 下午3点 when now is 10:17:53.421', () => {
    expect(parseTime('下午3点', { now: SECONDS_NOW, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-12-05T15:00:00.000+08:00') });
    expect(parseTime('15:00', { now: SECONDS_NOW, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-12-05T15:00:00.000+08:00') });
    expect(parseTime('9点', { now: SECONDS_NOW, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-12-06T09:00:00.000+08:00') });
  });

  it('should round 10分钟后 up to 10:28:00 when now is 10:17:53.421', () => {
    expect(parseTime('10分钟后', { now: SECONDS_NOW, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-12-05T10:28:00.000+08:00') });
    expect(parseTime('1分钟后', { now: SECONDS_NOW, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-12-05T10:19:00.000+08:00') });
  });

  it('should give every phrase of the table a whole minute at the table moments shifted by 53.421 s', () => {
    const notWhole: string[] = [];
    for (const c of CASES) {
      const at = Date.parse(NOW[c.now]) + 53_421;
      const result = parseSchedule(c.phrase, { now: at, timeZone: TZ, calendar, ...(c.deadline ? { deadline: true } : {}) });
      if (result.ok && result.kind === 'once' && result.at % MINUTE !== 0) notWhole.push(`${c.phrase} @ ${c.now}`);
    }
    expect(notWhole).toEqual([]);
  });

  it('should give a whole minute for every phrase at any moment', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PHRASES), now, fc.boolean(), (phrase, at, deadline) => {
        const result = parseSchedule(phrase, { now: at, timeZone: TZ, calendar, deadline });
        return !result.ok || result.kind !== 'once' || result.at % MINUTE === 0;
      }),
      { numRuns: 2000 },
    );
  });

  it('should never give N分钟后 sooner than N minutes from now, nor a minute later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), now, (minutes, at) => {
        const result = parseTime(`${minutes}分钟后`, { now: at, timeZone: TZ });
        if (!result.ok) return false;
        return result.at % MINUTE === 0 && result.at >= at + minutes * MINUTE && result.at < at + (minutes + 1) * MINUTE;
      }),
      { numRuns: 1000 },
    );
  });
});
