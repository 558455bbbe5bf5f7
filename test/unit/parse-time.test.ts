import { parseTime, type ParseTimeResult } from '../../src/time/parse-time';
import { toZonedIso } from '../../src/time/zoned';

const TZ = 'Asia/Shanghai';

/** Reference instants, all Beijing time. */
const NOW = {
  fri: Date.parse('2026-11-27T10:00:00+08:00'), // Friday morning
  sunNight: Date.parse('2026-11-29T23:30:00+08:00'), // Sunday night
  yearEnd: Date.parse('2026-12-31T20:00:00+08:00'), // Thursday, New Year's Eve
} as const;

type NowKey = keyof typeof NOW;

function at(result: ParseTimeResult, timeZone = TZ): string {
  if (!result.ok) throw new Error(`expected a time, got error: ${result.error}`);
  return toZonedIso(result.at, timeZone);
}

function errorOf(result: ParseTimeResult): string {
  if (result.ok) throw new Error(`expected an error, got ${toZonedIso(result.at, TZ)}`);
  return result.error;
}

const cases: readonly (readonly [input: string, now: NowKey, expected: string])[] = [
  // Absolute dates
  ['12月5日14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['12月5号14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['12月5日 14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['2026-12-05 14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['2026-12-05  14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['2026-12-05', 'fri', '2026-12-05T09:00:00+08:00'],
  ['2026/12/05 14:30', 'fri', '2026-12-05T14:30:00+08:00'],
  ['12/05', 'fri', '2026-12-05T09:00:00+08:00'],
  ['12/5 9:30', 'fri', '2026-12-05T09:30:00+08:00'],
  ['2026年12月5日下午3点', 'fri', '2026-12-05T15:00:00+08:00'],
  ['12月5日下午3点半', 'fri', '2026-12-05T15:30:00+08:00'],
  ['12月5日上午九点', 'fri', '2026-12-05T09:00:00+08:00'],
  ['１２月５日１４：３０', 'fri', '2026-12-05T14:30:00+08:00'],
  ['十二月五日下午三点', 'fri', '2026-12-05T15:00:00+08:00'],
  ['二〇二七年一月十五日', 'fri', '2027-01-15T09:00:00+08:00'],
  ['2028年2月29日', 'yearEnd', '2028-02-29T09:00:00+08:00'],
  // M月D日 without a year: this year unless more than 3 months past (issue 12: a date passed lately is this
  // year's, answered as passed; these two rows read next year's under the old rule「unless already past」)
  ['11月27日', 'fri', '2026-11-27T09:00:00+08:00'],
  ['11月26日', 'fri', '2026-11-26T09:00:00+08:00'],
  ['8月26日', 'fri', '2027-08-26T09:00:00+08:00'],
  ['8月27日', 'fri', '2026-08-27T09:00:00+08:00'],
  ['1月5日', 'fri', '2027-01-05T09:00:00+08:00'],
  ['1月1日', 'yearEnd', '2027-01-01T09:00:00+08:00'],
  ['12月31日', 'yearEnd', '2026-12-31T09:00:00+08:00'],
  ['12/30', 'yearEnd', '2026-12-30T09:00:00+08:00'],
  ['9/29', 'yearEnd', '2027-09-29T09:00:00+08:00'],
  ['9/30', 'yearEnd', '2026-09-30T09:00:00+08:00'],
  ['12月1日', 'sunNight', '2026-12-01T09:00:00+08:00'],
  // D号 alone: this month unless already past
  ['30号', 'fri', '2026-11-30T09:00:00+08:00'],
  ['三十号下午2点', 'fri', '2026-11-30T14:00:00+08:00'],
  ['5号', 'fri', '2026-12-05T09:00:00+08:00'],
  ['1号', 'yearEnd', '2027-01-01T09:00:00+08:00'],
  // 今天 / 明天 / 后天 / 大后天
  ['今天下午3点', 'fri', '2026-11-27T15:00:00+08:00'],
  ['明天', 'fri', '2026-11-28T09:00:00+08:00'],
  ['明天下午3点', 'fri', '2026-11-28T15:00:00+08:00'],
  ['后天上午10点', 'fri', '2026-11-29T10:00:00+08:00'],
  ['大后天晚上8点', 'fri', '2026-11-30T20:00:00+08:00'],
  ['明天早上8点半', 'fri', '2026-11-28T08:30:00+08:00'],
  ['明天中午12点', 'fri', '2026-11-28T12:00:00+08:00'],
  ['明天中午1点', 'fri', '2026-11-28T13:00:00+08:00'],
  ['今晚8点', 'fri', '2026-11-27T20:00:00+08:00'],
  ['明早7点', 'fri', '2026-11-28T07:00:00+08:00'],
  ['今天晚上12点', 'fri', '2026-11-28T00:00:00+08:00'],
  ['明天', 'yearEnd', '2027-01-01T09:00:00+08:00'],
  ['后天', 'yearEnd', '2027-01-02T09:00:00+08:00'],
  ['明天', 'sunNight', '2026-11-30T09:00:00+08:00'],
  ['  明天 下午 3 点 ', 'fri', '2026-11-28T15:00:00+08:00'],
  // Weeks start on Monday
  ['下周二上午9点', 'fri', '2026-12-01T09:00:00+08:00'],
  ['下周日', 'fri', '2026-12-06T09:00:00+08:00'],
  ['下周1', 'fri', '2026-11-30T09:00:00+08:00'],
  ['下星期三下午2点', 'fri', '2026-12-02T14:00:00+08:00'],
  ['下个礼拜五', 'fri', '2026-12-04T09:00:00+08:00'],
  ['下下周一', 'fri', '2026-12-07T09:00:00+08:00'],
  ['本周六', 'fri', '2026-11-28T09:00:00+08:00'],
  ['这周三', 'fri', '2026-11-25T09:00:00+08:00'],
  ['下周日', 'sunNight', '2026-12-06T09:00:00+08:00'],
  ['本周日', 'sunNight', '2026-11-29T09:00:00+08:00'],
  ['下周一', 'sunNight', '2026-11-30T09:00:00+08:00'],
  ['下周一', 'yearEnd', '2027-01-04T09:00:00+08:00'],
  // 周X alone: the next such day not past
  ['周五', 'fri', '2026-11-27T09:00:00+08:00'],
  ['周五下午3点', 'fri', '2026-11-27T15:00:00+08:00'],
  ['周五上午9点', 'fri', '2026-12-04T09:00:00+08:00'],
  ['星期一', 'fri', '2026-11-30T09:00:00+08:00'],
  ['礼拜天', 'fri', '2026-11-29T09:00:00+08:00'],
  ['周日晚上8点', 'fri', '2026-11-29T20:00:00+08:00'],
  ['周六 10点', 'fri', '2026-11-28T10:00:00+08:00'],
  ['周日', 'sunNight', '2026-11-29T09:00:00+08:00'],
  ['周日晚上11点', 'sunNight', '2026-12-06T23:00:00+08:00'],
  ['周一', 'sunNight', '2026-11-30T09:00:00+08:00'],
  ['周四晚上9点', 'yearEnd', '2026-12-31T21:00:00+08:00'],
  ['周四晚上7点', 'yearEnd', '2027-01-07T19:00:00+08:00'],
  // Relative
  ['30分钟后', 'fri', '2026-11-27T10:30:00+08:00'],
  ['半小时后', 'fri', '2026-11-27T10:30:00+08:00'],
  ['半个小时后', 'fri', '2026-11-27T10:30:00+08:00'],
  ['2个小时后', 'fri', '2026-11-27T12:00:00+08:00'],
  ['2小时后', 'fri', '2026-11-27T12:00:00+08:00'],
  ['1个半小时后', 'fri', '2026-11-27T11:30:00+08:00'],
  ['十分钟后', 'fri', '2026-11-27T10:10:00+08:00'],
  ['两小时后', 'fri', '2026-11-27T12:00:00+08:00'],
  ['三天后', 'fri', '2026-11-30T10:00:00+08:00'],
  ['3天后下午2点', 'fri', '2026-11-30T14:00:00+08:00'],
  ['40分钟后', 'sunNight', '2026-11-30T00:10:00+08:00'],
  ['1天后', 'sunNight', '2026-11-30T23:30:00+08:00'],
  ['5小时后', 'yearEnd', '2027-01-01T01:00:00+08:00'],
  // Time of day alone: today if still ahead, else tomorrow
  ['14:30', 'fri', '2026-11-27T14:30:00+08:00'],
  ['9:30', 'fri', '2026-11-28T09:30:00+08:00'],
  ['9点', 'fri', '2026-11-28T09:00:00+08:00'],
  ['9点30', 'fri', '2026-11-28T09:30:00+08:00'],
  ['9点30分', 'fri', '2026-11-28T09:30:00+08:00'],
  ['9点半', 'fri', '2026-11-28T09:30:00+08:00'],
  ['9点一刻', 'fri', '2026-11-28T09:15:00+08:00'],
  ['9点三刻', 'fri', '2026-11-28T09:45:00+08:00'],
  ['10点', 'fri', '2026-11-28T10:00:00+08:00'],
  ['下午3点', 'fri', '2026-11-27T15:00:00+08:00'],
  ['下午15点', 'fri', '2026-11-27T15:00:00+08:00'],
  ['下午 3:30', 'fri', '2026-11-27T15:30:00+08:00'],
  ['3点', 'fri', '2026-11-27T15:00:00+08:00'],
  ['6点', 'fri', '2026-11-27T18:00:00+08:00'],
  ['7点', 'fri', '2026-11-28T07:00:00+08:00'],
  ['12点', 'fri', '2026-11-27T12:00:00+08:00'],
  ['0点', 'fri', '2026-11-28T00:00:00+08:00'],
  ['20点', 'fri', '2026-11-27T20:00:00+08:00'],
  ['05:30', 'fri', '2026-11-28T05:30:00+08:00'],
  ['凌晨3点', 'fri', '2026-11-28T03:00:00+08:00'],
  ['十二点十五', 'fri', '2026-11-27T12:15:00+08:00'],
  ['二十三点', 'fri', '2026-11-27T23:00:00+08:00'],
  ['8点', 'sunNight', '2026-11-30T08:00:00+08:00'],
  ['23:45', 'sunNight', '2026-11-29T23:45:00+08:00'],
  ['今晚12点', 'sunNight', '2026-11-30T00:00:00+08:00'],
  ['3点', 'yearEnd', '2027-01-01T15:00:00+08:00'],
  // Deadline words: a date alone means 18:00
  ['12月5日前', 'fri', '2026-12-05T18:00:00+08:00'],
  ['12月5日之前', 'fri', '2026-12-05T18:00:00+08:00'],
  ['截止12月5日', 'fri', '2026-12-05T18:00:00+08:00'],
  ['截止 周五', 'fri', '2026-11-27T18:00:00+08:00'],
  ['12月5日14:00前', 'fri', '2026-12-05T14:00:00+08:00'],
];

const deadlineCases: readonly (readonly [input: string, expected: string])[] = [
  ['12月5日', '2026-12-05T18:00:00+08:00'],
  ['明天', '2026-11-28T18:00:00+08:00'],
  ['下周二', '2026-12-01T18:00:00+08:00'],
  ['明天上午10点', '2026-11-28T10:00:00+08:00'],
  ['3天后', '2026-11-30T10:00:00+08:00'],
];

const errorCases: readonly (readonly [input: string, message: string])[] = [
  ['2月30日', '没有这一天'],
  ['2026-02-30', '没有这一天：2026年2月30日'],
  ['13月1日', '没有这一天'],
  ['2026年4月31日', '没有这一天'],
  ['32号', '没有这一天'],
  ['2月29日', '没有这一天：2027年2月29日'],
  ['25点', '小时要在0到23之间'],
  ['明天25点', '小时要在0到23之间'],
  ['14:75', '分钟要在0到59之间'],
  ['9点60分', '分钟要在0到59之间'],
  ['上午15点', '不对'],
  ['明天下午', '「下午」后面要写几点'],
  ['今晚', '「晚上」后面要写几点'],
  ['abc', '没看懂时间「abc」，例如：明天下午3点、12月5日14:30、下周二上午9点'],
  ['明天3点xyz', '没看懂时间「明天3点xyz」'],
  ['3天前', '没看懂时间'],
  ['前', '没看懂时间'],
  ['0分钟后', '不对'],
  ['14:7', '没看懂时间'],
  ['', '没写时间'],
  ['   ', '没写时间'],
];

describe('parseTime', () => {
  it.each(cases)('should read %p (now = %s) as %s', (input, now, expected) => {
    expect(at(parseTime(input, { now: NOW[now], timeZone: TZ }))).toBe(expected);
  });

  it.each(deadlineCases)('should read %p as %s when the deadline option is set', (input, expected) => {
    expect(at(parseTime(input, { now: NOW.fri, timeZone: TZ, deadline: true }))).toBe(expected);
  });

  it.each(errorCases)('should reject %p with a message containing %p', (input, message) => {
    expect(errorOf(parseTime(input, { now: NOW.fri, timeZone: TZ }))).toContain(message);
  });

  it('should zero the seconds of relative times when now has seconds', () => {
    const now = NOW.fri + 37_500;
    // Rounded up (issue 12, 「N分钟后 rounds up to the next whole minute」); this read 10:30:00 when it was rounded down.
    expect(at(parseTime('30分钟后', { now, timeZone: TZ }))).toBe('2026-11-27T10:31:00+08:00');
    expect(at(parseTime('1天后', { now, timeZone: TZ }))).toBe('2026-11-28T10:00:00+08:00');
    expect(at(parseTime('明天下午3点', { now, timeZone: TZ }))).toBe('2026-11-28T15:00:00+08:00');
  });

  it('should zero the seconds of a time of day given without a date when now has seconds', () => {
    const now = NOW.fri + 53_250;
    expect(at(parseTime('下午3点', { now, timeZone: TZ }))).toBe('2026-11-27T15:00:00+08:00');
    expect(at(parseTime('9点', { now, timeZone: TZ }))).toBe('2026-11-28T09:00:00+08:00');
    expect(parseTime('15:00', { now, timeZone: TZ })).toEqual({ ok: true, at: Date.parse('2026-11-27T15:00:00+08:00') });
  });

  it('should return past instants unchanged when the date is already over', () => {
    const result = parseTime('这周三', { now: NOW.fri, timeZone: TZ });
    expect(result.ok && result.at < NOW.fri).toBe(true);
  });

  it('should reckon days in the given time zone when it is not Beijing', () => {
    // At 2026-11-27 10:00 Beijing it is still 26 Nov, 21:00 in New York.
    const zone = 'America/New_York';
    expect(at(parseTime('明天下午3点', { now: NOW.fri, timeZone: zone }), zone)).toBe('2026-11-27T15:00:00-05:00');
    expect(at(parseTime('周五', { now: NOW.fri, timeZone: zone }), zone)).toBe('2026-11-27T09:00:00-05:00');
  });

  it('should not touch local-time Date methods when parsing', () => {
    const local = ['getHours', 'getMinutes', 'getDate', 'getDay', 'getMonth', 'getFullYear', 'getTimezoneOffset', 'setDate', 'setHours'] as const;
    const spies = local.map((name) =>
      jest.spyOn(Date.prototype, name).mockImplementation(() => {
        throw new Error(`Date.prototype.${name} used`);
      }),
    );
    try {
      for (const [input, now, expected] of cases) {
        expect(at(parseTime(input, { now: NOW[now], timeZone: TZ }))).toBe(expected);
      }
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });
});
