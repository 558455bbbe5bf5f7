import { describePeriod, parseStatsPeriod, type PeriodParse } from '../../src/domain/stats-period';
import { formatWall } from '../../src/domain/stats-format';
import { at, TZ } from './fixtures';

const NOW = at('2026-11-27T10:00');

/** [from, to, title] in Shanghai wall time, or the error. */
function read(text: string, now = NOW): [string, string, string] | string {
  const r: PeriodParse = parseStatsPeriod(text, now, TZ);
  if (!r.ok) return r.error;
  const sec = (ms: number): string => `${formatWall(ms, TZ)}:${String(new Date(ms).getUTCSeconds()).padStart(2, '0')}`;
  return [sec(r.period.from), sec(r.period.to), r.period.title];
}

describe('parseStatsPeriod', () => {
  it('should read 本月, 本季度 and 本年 in Beijing time, ends inclusive to 23:59:59', () => {
    expect(read('本月')).toEqual(['2026-11-01 00:00:00', '2026-11-30 23:59:59', '2026年11月']);
    expect(read('本季度')).toEqual(['2026-10-01 00:00:00', '2026-12-31 23:59:59', '2026年第四季度']);
    expect(read('本年')).toEqual(['2026-01-01 00:00:00', '2026-12-31 23:59:59', '2026年']);
    expect(read('今年')).toEqual(read('本年'));
    expect(read(' 本季度 ')).toEqual(read('本季度'));
  });

  it('should read the previous month, quarter and year across a year boundary', () => {
    const jan = at('2027-01-05T09:00');
    expect(read('上月', jan)).toEqual(['2026-12-01 00:00:00', '2026-12-31 23:59:59', '2026年12月']);
    expect(read('上季度', jan)).toEqual(['2026-10-01 00:00:00', '2026-12-31 23:59:59', '2026年第四季度']);
    expect(read('去年', jan)).toEqual(['2026-01-01 00:00:00', '2026-12-31 23:59:59', '2026年']);
    expect(read('本季度', at('2026-02-28T23:59'))).toEqual(['2026-01-01 00:00:00', '2026-03-31 23:59:59', '2026年第一季度']);
    // 00:30 on 1 July in Beijing is still 30 June in UTC: the zone decides
    expect(read('本月', at('2026-07-01T00:30'))).toEqual(['2026-07-01 00:00:00', '2026-07-31 23:59:59', '2026年7月']);
  });

  it('should read <起>至<止> with dates only from 00:00 to 23:59:59, and name a whole quarter', () => {
    expect(read('2026-10-01至2026-12-31')).toEqual(['2026-10-01 00:00:00', '2026-12-31 23:59:59', '2026年第四季度']);
    expect(read('10月1日至12月31日')).toEqual(read('2026-10-01至2026-12-31'));
    expect(read('十月一日到十二月三十一日')).toEqual(read('2026-10-01至2026-12-31'));
    expect(read('2026年9月15日 至 2026年10月14日')).toEqual(['2026-09-15 00:00:00', '2026-10-14 23:59:59', '2026年9月15日至2026年10月14日']);
  });

  it('should keep a written time of day at either end', () => {
    expect(read('11月1日上午9点至11月3日18:30')).toEqual(['2026-11-01 09:00:00', '2026-11-03 18:30:00', '2026年11月1日 09:00至2026年11月3日 18:30']);
  });

  it('should take a month-day without a year as this year, and a start after the end as last year', () => {
    const lateDec = at('2026-12-31T20:00');
    // the time grammar reads a passed 10月1日 as next year's; statistics mean this year's
    expect(read('10月1日至12月31日', lateDec)).toEqual(['2026-10-01 00:00:00', '2026-12-31 23:59:59', '2026年第四季度']);
    expect(read('12月1日至1月31日', at('2027-01-20T10:00'))).toEqual(['2026-12-01 00:00:00', '2027-01-31 23:59:59', '2026年12月1日至2027年1月31日']);
  });

  it('should answer a period it cannot read with a Chinese reason and examples', () => {
    const examples = '例如：统计 本月、统计 本季度、统计 本年、统计 2026-10-01至2026-12-31、统计 10月1日至12月31日';
    expect(read('13月1日至12月31日')).toBe(`开始时间不对：没有这一天：13月1日。${examples}`);
    expect(read('10月1日至2月30日')).toMatch(/^结束时间不对：没有这一天：(2026|2027)?年?2月30日。例如/);
    expect(read('下个月')).toBe(`没看懂时间范围「下个月」，要写成「开始至结束」。${examples}`);
    expect(read('10月1日至')).toBe(`没看懂时间范围「10月1日至」，要写成「开始至结束」。${examples}`);
    expect(read('2026-12-31至2026-10-01')).toBe(`开始时间（2026-12-31 00:00）晚于结束时间（2026-10-01 23:59）。${examples}`);
    expect(read('2020-01-01至2026-01-01')).toBe(`时间范围太长了（最多 3 年）。${examples}`);
    expect(read('苹果至香蕉')).toBe(`开始时间不对：没看懂时间「苹果」。${examples}`);
  });
});

describe('describePeriod', () => {
  it('should name whole months, quarters and years and write other ranges as dates', () => {
    expect(describePeriod(at('2026-02-01T00:00'), at('2026-02-28T23:59') + 59_000, TZ)).toBe('2026年2月');
    expect(describePeriod(at('2026-04-01T00:00'), at('2026-06-30T23:59') + 59_000, TZ)).toBe('2026年第二季度');
    expect(describePeriod(at('2026-01-01T00:00'), at('2026-12-31T23:59') + 59_000, TZ)).toBe('2026年');
    expect(describePeriod(at('2026-01-02T00:00'), at('2026-12-31T23:59') + 59_000, TZ)).toBe('2026年1月2日至2026年12月31日');
  });
});
