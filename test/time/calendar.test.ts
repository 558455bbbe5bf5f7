import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calendarFromFiles, defaultCalendar, defaultOverrideDir, holidayFiles, loadHolidayOverrides } from '../../src/store/holiday-files';
import { packagedCalendar, WorkingCalendar } from '../../src/time/calendar';
import { HolidayOverrideError, type HolidayOverride } from '../../src/time/holiday-overrides';
import { statutoryDaysOff } from '../../src/time/statutory-days';

const calendar = new WorkingCalendar();
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** `2026-02-15`…: every date from `from` to `to`. */
function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) dates.push(new Date(d).toISOString().slice(0, 10));
  return dates;
}

describe('WorkingCalendar with the published arrangement', () => {
  it.each([
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
  ])('should have %s to %s off as %s', (from, to, name) => {
    for (const date of datesBetween(from, to)) expect(calendar.day(date)).toEqual({ date, workday: false, name, guessed: false });
  });

  it.each(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])('should make the 调休 weekend day %s a working day', (date) => {
    expect(calendar.day(date)).toEqual({ date, workday: true, name: '调休上班', guessed: false });
  });

  it('should treat ordinary days as Monday–Friday working days and name weekends', () => {
    expect(calendar.day('2026-02-13')).toEqual({ date: '2026-02-13', workday: true, guessed: false });
    expect(calendar.day('2026-02-24')).toEqual({ date: '2026-02-24', workday: true, guessed: false });
    expect(calendar.day({ year: 2026, month: 11, day: 28 })).toEqual({ date: '2026-11-28', workday: false, name: '周末', guessed: false });
  });

  it('should agree with chinese-days isWorkday on every day of 2004–2026 (asked in Beijing time, where the package works)', async () => {
    // The package's own functions read dates in the server's local time and go wrong west of UTC,
    // so they are asked in a child process running in Asia/Shanghai.
    const script = `
      const { WorkingCalendar } = require('./src/time/calendar.ts');
      const { isWorkday } = require('chinese-days');
      const calendar = new WorkingCalendar();
      const bad = [];
      for (let d = Date.UTC(2004, 0, 1); d <= Date.UTC(2026, 11, 31); d += 864e5) {
        const date = new Date(d).toISOString().slice(0, 10);
        if (calendar.isWorkday(date) !== isWorkday(date)) bad.push(date);
      }
      process.stdout.write(JSON.stringify({ checked: (Date.UTC(2026, 11, 31) - Date.UTC(2004, 0, 1)) / 864e5 + 1, bad }));`;
    const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, env: { ...process.env, TZ: 'Asia/Shanghai' } });
    expect(JSON.parse(stdout)).toEqual({ checked: 8401, bad: [] });
  });

  it('should find working days around 春节 and 国庆 2026', () => {
    expect(calendar.nextWorkday('2026-02-13')).toEqual({ year: 2026, month: 2, day: 14 });
    expect(calendar.nextWorkday('2026-02-14')).toEqual({ year: 2026, month: 2, day: 24 });
    expect(calendar.nextWorkday('2026-02-14', { includeSelf: true })).toEqual({ year: 2026, month: 2, day: 14 });
    expect(calendar.previousWorkday('2026-02-24')).toEqual({ year: 2026, month: 2, day: 14 });
    expect(calendar.previousWorkday('2026-10-08')).toEqual({ year: 2026, month: 9, day: 30 });
    expect(calendar.nextWorkday('2026-09-30')).toEqual({ year: 2026, month: 10, day: 8 });
  });

  it('should count working days within months, quarters and years', () => {
    expect(calendar.lastWorkdayOfMonth(2026, 2)).toEqual({ year: 2026, month: 2, day: 28 }); // a 调休 Saturday
    expect(calendar.lastWorkdayOfMonth(2026, 10)).toEqual({ year: 2026, month: 10, day: 30 });
    expect(calendar.lastWorkdayOfMonth(2026, 1)).toEqual({ year: 2026, month: 1, day: 30 });
    expect(calendar.nthWorkdayOfMonth(2026, 10, 1)).toEqual({ year: 2026, month: 10, day: 8 });
    expect(calendar.nthWorkdayOfMonth(2026, 10, 3)).toEqual({ year: 2026, month: 10, day: 10 });
    expect(calendar.nthWorkdayOfMonth(2026, 2, -2)).toEqual({ year: 2026, month: 2, day: 27 });
    expect(calendar.nthWorkdayOfMonth(2026, 2, 17)).toBeUndefined();
    expect(calendar.nthWorkdayOfQuarter(2026, 4, 1)).toEqual({ year: 2026, month: 10, day: 8 });
    expect(calendar.lastWorkdayOfQuarter(2026, 1)).toEqual({ year: 2026, month: 3, day: 31 });
    expect(calendar.nthWorkdayOfYear(2026, 1)).toEqual({ year: 2026, month: 1, day: 4 }); // a 调休 Sunday
    expect(calendar.lastWorkdayOfYear(2026)).toEqual({ year: 2026, month: 12, day: 31 });
    expect(() => calendar.nthWorkdayOfMonth(2026, 2, 0)).toThrow(RangeError);
  });

  it('should refuse dates that do not exist', () => {
    expect(() => calendar.day('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.day('2026-2-3')).toThrow(RangeError);
    expect(() => calendar.day({ year: 2026, month: 13, day: 1 })).toThrow(RangeError);
  });
});

describe('WorkingCalendar fallback for a year not yet published', () => {
  it('should detect which years the package covers from its data', () => {
    expect(calendar.sourceOf(2026)).toBe('published');
    expect(calendar.sourceOf(2004)).toBe('published');
    expect(calendar.sourceOf(2027)).toBe('fallback');
    expect(calendar.guessedYears({ from: 2025, to: 2028 })).toEqual([2027, 2028]);
  });

  it('should keep the days off the law fixes for 2027', () => {
    expect(statutoryDaysOff(2027)).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' }, // 除夕
      { date: '2027-02-06', name: '春节' }, // 初一
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' }, // 初三
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  it.each(['2027-01-01', '2027-02-05', '2027-02-08', '2027-04-05', '2027-05-01', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-03'])(
    'should have the statutory day %s off, marked guessed',
    (date) => {
      expect(calendar.day(date)).toMatchObject({ date, workday: false, guessed: true });
    },
  );

  it('should otherwise fall back to Monday–Friday, with no 调休 guessed', () => {
    expect(calendar.day('2027-02-09')).toEqual({ date: '2027-02-09', workday: true, guessed: true });
    expect(calendar.day('2027-05-03')).toEqual({ date: '2027-05-03', workday: true, guessed: true });
    expect(calendar.day('2027-10-04')).toEqual({ date: '2027-10-04', workday: true, guessed: true });
    expect(calendar.day('2027-01-30')).toEqual({ date: '2027-01-30', workday: false, name: '周末', guessed: true });
    expect(calendar.nextWorkday('2026-12-31')).toEqual({ year: 2027, month: 1, day: 4 });
  });

  it.each([2025, 2026])('should compute statutory days that the published %i arrangement has off', (year) => {
    const published = new WorkingCalendar();
    for (const { date } of statutoryDaysOff(year)) expect(published.day(date)).toMatchObject({ date, workday: false, guessed: false });
  });

  it('should name both festivals when 中秋 falls within 国庆 (2020)', () => {
    expect(statutoryDaysOff(2020).find((d) => d.date === '2020-10-01')).toEqual({ date: '2020-10-01', name: '国庆节、中秋节' });
  });

  it('should refuse years the lunar tables do not cover', () => {
    expect(() => statutoryDaysOff(2101)).toThrow(RangeError);
    expect(() => calendar.day('2101-01-01')).toThrow(RangeError);
  });
});

describe('WorkingCalendar overrides', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'luoshi-holidays-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown): void => writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  const override2027 = {
    year: 2027,
    daysOff: ['2027-01-01', { date: '2027-02-10', name: '春节' }],
    workdays: ['2027-02-06'],
    source: '国办发明电〔2026〕X号',
  };

  it('should let an override file win over the fallback', () => {
    write('2027.json', override2027);
    write('notes.txt', 'ignored');
    const withFile = calendarFromFiles(dir);
    expect(withFile.sourceOf(2027)).toBe('override');
    expect(withFile.guessedYears({ from: 2026, to: 2028 })).toEqual([2028]);
    expect(withFile.day('2027-01-01')).toEqual({ date: '2027-01-01', workday: false, name: '节假日', guessed: false });
    expect(withFile.day('2027-02-10')).toEqual({ date: '2027-02-10', workday: false, name: '春节', guessed: false });
    expect(withFile.day('2027-02-06')).toEqual({ date: '2027-02-06', workday: true, name: '调休上班', guessed: false });
    // The file replaces the statutory fallback for its year: 清明 is not listed, so it is a working day.
    expect(withFile.day('2027-04-05')).toEqual({ date: '2027-04-05', workday: true, guessed: false });
  });

  it('should let an override win over the published arrangement, and given overrides win over files', () => {
    write('2026.json', { year: 2026, daysOff: ['2026-02-14'], workdays: [], source: 'test' });
    const given: HolidayOverride = { year: 2026, daysOff: [], workdays: ['2026-11-28'], source: 'test' };
    expect(calendarFromFiles(dir).day('2026-02-14')).toMatchObject({ workday: false, name: '节假日' });
    const both = new WorkingCalendar({ source: holidayFiles(dir), overrides: [given] });
    expect(both.day('2026-02-14')).toMatchObject({ workday: false, name: '周末' });
    expect(both.day('2026-11-28')).toMatchObject({ workday: true, name: '调休上班' });
    expect(both.day('2026-10-01')).toMatchObject({ workday: true });
  });

  it('should read no overrides from a missing directory', () => {
    expect(loadHolidayOverrides(join(dir, 'missing'))).toEqual([]);
    expect(calendarFromFiles(join(dir, 'missing')).sourceOf(2027)).toBe('fallback');
  });

  it.each([
    ['a bad date', { ...override2027, daysOff: ['2027-01-01', '2027-02-30'] }, 'field "daysOff[1]": expected a real date written YYYY-MM-DD'],
    ['a date in another year', { ...override2027, workdays: ['2026-12-27'] }, 'field "workdays[0]": date 2026-12-27 is not in 2027'],
    ['a day both off and working', { ...override2027, workdays: ['2027-01-01'] }, 'field "workdays[0]": date 2027-01-01 is listed in daysOff too'],
    ['a missing source', { year: 2027, daysOff: [], workdays: [] }, 'field "source"'],
    ['an unknown field', { ...override2027, extra: 1 }, 'field "(root)"'],
    ['a day off without its date', { ...override2027, daysOff: [{ name: '春节' }] }, 'field "daysOff[0]'],
  ])('should refuse an override file with %s, naming the file and the field', (_what, content, message) => {
    write('2027.json', content);
    expect(() => loadHolidayOverrides(dir)).toThrow(HolidayOverrideError);
    expect(() => calendarFromFiles(dir)).toThrow(message);
    expect(() => calendarFromFiles(dir)).toThrow(join(dir, '2027.json'));
  });

  it('should refuse a file whose name is not its year, and a file that is not JSON', () => {
    write('2028.json', override2027);
    expect(() => loadHolidayOverrides(dir)).toThrow('field "year" is 2027 but the file is named 2028.json');
    rmSync(join(dir, '2028.json'));
    write('2027.json', '{ "year": 2027, ');
    expect(() => loadHolidayOverrides(dir)).toThrow(`invalid holiday override ${join(dir, '2027.json')}: not valid JSON`);
  });
});

describe('WorkingCalendar override source', () => {
  const year2027: HolidayOverride = { year: 2027, daysOff: ['2027-01-04'], workdays: [], source: 'test' };

  it('should read its source at construction and again on reload, keeping what it had when the source throws', () => {
    let answer: () => readonly HolidayOverride[] = () => [];
    let version = 'a';
    const calendar = new WorkingCalendar({ source: { read: () => answer(), fingerprint: () => version } });
    expect(calendar.sourceOf(2027)).toBe('fallback');
    expect(calendar.day('2027-01-04')).toMatchObject({ workday: true, guessed: true });
    expect(calendar.overrideFingerprint()).toBe('a');

    answer = () => [year2027];
    version = 'b';
    expect(calendar.overrideFingerprint()).toBe('b');
    calendar.reload();
    expect(calendar.sourceOf(2027)).toBe('override');
    expect(calendar.day('2027-01-04')).toEqual({ date: '2027-01-04', workday: false, name: '节假日', guessed: false });

    answer = () => {
      throw new HolidayOverrideError('invalid holiday override 2027.json: field "source"');
    };
    expect(() => calendar.reload()).toThrow(HolidayOverrideError);
    expect(calendar.day('2027-01-04')).toMatchObject({ workday: false, name: '节假日' });
  });

  it('should have no overrides and an empty fingerprint without a source', () => {
    expect(calendar.overrideFingerprint()).toBe('');
    expect(packagedCalendar()).toBe(packagedCalendar());
    expect(packagedCalendar().sourceOf(2027)).toBe('fallback');
  });
});

describe('defaultCalendar', () => {
  it('should read the project data/holidays directory and be shared', () => {
    expect(defaultOverrideDir()).toBe(join(__dirname, '..', '..', 'data', 'holidays'));
    expect(defaultCalendar()).toBe(defaultCalendar());
    expect(defaultCalendar().day('2026-10-01')).toMatchObject({ workday: false, name: '国庆节' });
  });
});
