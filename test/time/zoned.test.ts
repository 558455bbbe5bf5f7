import fc from 'fast-check';
import { fromZoned, toZonedIso, zonedParts, zoneOffsetMinutes } from '../../src/time/zoned';

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];

/** What Intl says, uncached: the reference the offset cache must agree with. */
function intlParts(epochMs: number, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(epochMs));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), second: Number(get('second')), weekday };
}

describe('zoned arithmetic with the cached offsets', () => {
  it('should agree with Intl at any instant in 1901–2100, DST changes included', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2100, 11, 31) }), fc.constantFrom(...ZONES), (epoch, zone) => {
        expect(zonedParts(epoch, zone)).toEqual(intlParts(epoch, zone));
      }),
      { numRuns: 300 },
    );
  });

  it('should agree with Intl on both sides of a DST change', () => {
    const change = Date.parse('2026-03-08T07:00:00Z'); // 02:00 EST becomes 03:00 EDT
    for (const epoch of [change - 60_000, change - 1, change, change + 1, change + 30 * 60_000]) {
      expect(zonedParts(epoch, 'America/New_York')).toEqual(intlParts(epoch, 'America/New_York'));
    }
    expect(zoneOffsetMinutes(change - 1, 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(change, 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(Date.parse('2026-04-05T15:00:00Z'), 'Australia/Lord_Howe')).toBe(630);
  });

  it('should turn wall times back into the instants that show them', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2099, 0, 1) }), fc.constantFrom(...ZONES), (epoch, zone) => {
        const whole = Math.floor(epoch / 1000) * 1000;
        const wall = zonedParts(whole, zone);
        const back = fromZoned(wall, zone);
        // A wall time repeated when clocks go back names one of its two instants.
        expect(zonedParts(back, zone)).toEqual(wall);
      }),
      { numRuns: 300 },
    );
    expect(toZonedIso(fromZoned({ year: 2026, month: 11, day: 28, hour: 15, minute: 0 }, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe('2026-11-28T15:00:00+08:00');
  });
});
