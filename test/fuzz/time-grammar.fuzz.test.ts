/**
 * Fuzzing the time grammar (parseTime, parseSchedule): random text, strings built from the grammar's own words,
 * and the phrase table's phrases with words inserted, dropped or swapped. Whatever comes in, neither function
 * throws, and each answers either a usable result or an error in Chinese.
 */
import fc from 'fast-check';
import { WorkingCalendar } from '../../src/time/calendar';
import { parseSchedule, type ParseScheduleResult } from '../../src/time/parse-schedule';
import { parseTime, type ParseTimeResult } from '../../src/time/parse-time';
import { recurrenceRuleSchema } from '../../src/time/recurrence-rule';
import { CASES } from '../time/phrase-table';
import { CHINESE, FUZZ_BUDGET, FUZZ_SEED, FUZZ_TOTAL } from './budget';

const calendar = new WorkingCalendar();

/** Words of the grammar, and some that sit next to it. */
const WORDS = [
  '今天', '明天', '后天', '大后天', '昨天', '本周', '这周', '下周', '下下周', '上周', '周', '星期', '礼拜', '一', '二', '三', '四', '五', '六', '日', '天', '七', '十', '十一',
  '二十', '三十一', '两', '〇', '零', '百', '千', '万', '每', '每天', '每周', '每月', '每年', '每季度', '隔周', '双周', '工作日', '个工作日', '第', '倒数第', '最后一个',
  '月', '月底', '月末', '月初', '年底', '年末', '今年', '明年', '号', '日', '年', '上午', '下午', '中午', '晚上', '早上', '凌晨', '点', '时', '分', '半', '一刻', '三刻', '整',
  '分钟后', '小时后', '个半小时后', '天后', '周后', '个月后', '之后', '以后', '后', '前', '之前', '以前', '截止', '截至', '截止到', '至', '到', '遇节假日顺延', '逢节假日提前',
  '如遇周末则顺延', '节假日', '调休', '春节', '国庆', '元旦', '清明', '端午', '中秋', '季度', '本月', '下个月', '下月', '上个月', '下下个月', '本季度', ':', '：', '-', '/', '.',
  ' ', '　', ',', '，', '、', '0', '1', '2', '3', '5', '7', '9', '10', '12', '13', '15', '23', '24', '25', '29', '30', '31', '32', '59', '60', '99', '2026', '2027', '1900', '9999',
 '275760', '１', '２', '９', '１２', '：３０', '14:30', '09:00', '24:00', '25:61', '12/05', '2/30', '2026-12-05', '2026-02-30', '0000-00-00', '-1', '+8', 'e3',
  'NaN', 'Infinity', 'am', 'pm', 'T', 'Z', '\n', '\t', '\u200b', '\ud83c\udf89',
];

/** Phrases the table reads (and refuses), as seeds for mutations. */
const PHRASES = [...new Set(CASES.map((c) => c.phrase))];

const grammar: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 9 }), fc.constantFrom('', ' '))
  .map(([words, glue]) => words.join(glue));

type Mutation = { readonly op: 'insert' | 'delete' | 'replace'; readonly at: number; readonly word: string };

const mutated: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...PHRASES),
    fc.array(fc.record({ op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const), at: fc.nat(), word: fc.constantFrom(...WORDS) }), { minLength: 0, maxLength: 3 }),
  )
  .map(([phrase, mutations]) =>
    mutations.reduce((s: string, m: Mutation) => {
      const chars = [...s];
      const at = chars.length === 0 ? 0 : m.at % (chars.length + 1);
      if (m.op === 'insert') chars.splice(at, 0, m.word);
      else if (m.op === 'delete') chars.splice(at, 1 + (m.at % 3));
      else chars.splice(at, 1, m.word);
      return chars.join('');
    }, phrase),
  );

/** A number (Arabic, full-width or Chinese, small or huge) and a date or time word around it: mostly well formed. */
const NUMBER: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 61 }).map(String),
  fc.integer({ min: 0, max: 12 }).map((n) => ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'][n] ?? '十'),
  fc.integer({ min: 0, max: 31 }).map((n) => String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))),
  fc.constantFrom('2026', '2027', '1999', '100', '1000', '99999', '00', '007'),
);

/** Relative times a Date cannot hold: their own properties, so the others keep running while that bug is open. */
const FAR_OUT: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom('9999999', '99999999', '99999999999', '123456789012'), fc.integer({ min: 10_000_000, max: Number.MAX_SAFE_INTEGER }).map(String)),
    fc.constantFrom('分钟后', '小时后', '个半小时后', '天后', '周后', '个月后'),
  )
  .map(([n, unit]) => `${n}${unit}`);
const composed: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(NUMBER, fc.constantFrom('分钟后', '小时后', '个半小时后', '天后', '周后', '个月后', '个工作日后')).map(([n, u]) => `${n}${u}`),
  fc
    .tuple(
      fc.constantFrom('', '明天', '后天', '下周', '本周', '周', '星期', '下个月', '本月', '每月', '每周', '每年', '每天', '每季度', '2026年', '2027年'),
      fc.option(NUMBER),
      fc.constantFrom('', '月', '号', '日', '个工作日', '最后一个工作日', '第'),
      fc.option(NUMBER),
      fc.constantFrom('', '日', '号', '底', '前'),
      fc.constantFrom('', '上午', '下午', '晚上', '中午', ' '),
      fc.option(NUMBER),
      fc.constantFrom('', '点', ':', '：', '点半', '点一刻'),
      fc.option(NUMBER),
      fc.constantFrom('', '遇节假日顺延', '，逢节假日提前', '前'),
    )
    .map((parts) => parts.map((p) => p ?? '').join('')),
);

const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const phrases = fc.oneof({ arbitrary: grammar, weight: 1 }, { arbitrary: mutated, weight: 2 }, { arbitrary: composed, weight: 3 });

/** 2020 to 2032, in three time zones, half the time as a deadline. */
const options = fc.record({
  now: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
  timeZone: fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
  deadline: fc.boolean(),
});

const representable = (at: number): boolean => Number.isSafeInteger(at) && !Number.isNaN(new Date(at).getTime());

/** A usable instant, or an error in Chinese; a warning, when there is one, in Chinese too. */
function checkTime(result: ParseTimeResult): void {
  if (result.ok) {
    expect(representable(result.at)).toBe(true);
    if (result.warning !== undefined) expect(result.warning).toMatch(CHINESE);
  } else {
    expect(result.error).toMatch(CHINESE);
  }
}

function checkSchedule(result: ParseScheduleResult): void {
  if (!result.ok) {
    expect(result.error).toMatch(CHINESE);
    return;
  }
  if (result.warning !== undefined) expect(result.warning).toMatch(CHINESE);
  if (result.kind === 'once') {
    expect(representable(result.at)).toBe(true);
  } else {
    expect(recurrenceRuleSchema.safeParse(result.rule).success).toBe(true);
    expect(result.description).toMatch(CHINESE);
  }
}

const RUNS = {
  timeRandom: 10_000,
  timePhrases: 18_000,
  scheduleRandom: 10_000,
  schedulePhrases: 18_000,
  timeFarOut: 2_000,
  scheduleFarOut: 2_000,
} as const;

describe(`time grammar fuzz (seed ${FUZZ_SEED})`, () => {
  const counted: Record<keyof typeof RUNS, number> = { timeRandom: 0, timePhrases: 0, scheduleRandom: 0, schedulePhrases: 0, timeFarOut: 0, scheduleFarOut: 0 };
  /** Results read (not refused), per test. */
  const read: Record<keyof typeof RUNS, number> = { timeRandom: 0, timePhrases: 0, scheduleRandom: 0, schedulePhrases: 0, timeFarOut: 0, scheduleFarOut: 0 };

  it(`should answer a time or a Chinese error, never throwing, when parseTime reads ${RUNS.timeRandom} random texts (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(randomText, options, (text, o) => {
        counted.timeRandom += 1;
        const result = parseTime(text, { ...o, calendar });
        if (result.ok) read.timeRandom += 1;
        checkTime(result);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS.timeRandom },
    );
    expect(counted.timeRandom).toBe(RUNS.timeRandom);
  });

  it(`should answer a usable time or a Chinese error, never throwing, when parseTime reads ${RUNS.timePhrases} near-phrases (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(phrases, options, (text, o) => {
        counted.timePhrases += 1;
        const result = parseTime(text, { ...o, calendar });
        if (result.ok) read.timePhrases += 1;
        checkTime(result);
      }),
      { seed: FUZZ_SEED + 1, numRuns: RUNS.timePhrases },
    );
    expect(counted.timePhrases).toBe(RUNS.timePhrases);
    // The near-phrases reach the grammar's readings, not only its refusals.
    expect(read.timePhrases).toBeGreaterThan(RUNS.timePhrases / 10);
  });

  it(`should answer a schedule or a Chinese error, never throwing, when parseSchedule reads ${RUNS.scheduleRandom} random texts (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(randomText, options, (text, o) => {
        counted.scheduleRandom += 1;
        const result = parseSchedule(text, { ...o, calendar });
        if (result.ok) read.scheduleRandom += 1;
        checkSchedule(result);
      }),
      { seed: FUZZ_SEED + 2, numRuns: RUNS.scheduleRandom },
    );
    expect(counted.scheduleRandom).toBe(RUNS.scheduleRandom);
  });

  it(`should answer a usable schedule or a Chinese error, never throwing, when parseSchedule reads ${RUNS.schedulePhrases} near-phrases (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(phrases, options, (text, o) => {
        counted.schedulePhrases += 1;
        const result = parseSchedule(text, { ...o, calendar });
        if (result.ok) read.schedulePhrases += 1;
        checkSchedule(result);
      }),
      { seed: FUZZ_SEED + 3, numRuns: RUNS.schedulePhrases },
    );
    expect(counted.schedulePhrases).toBe(RUNS.schedulePhrases);
    expect(read.schedulePhrases).toBeGreaterThan(RUNS.schedulePhrases / 10);
  });

  it(`should refuse in Chinese or answer a usable time, never throwing, when parseTime reads ${RUNS.timeFarOut} relative times a Date cannot hold (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(FAR_OUT, options, (text, o) => {
        counted.timeFarOut += 1;
        const result = parseTime(text, { ...o, calendar });
        if (result.ok) read.timeFarOut += 1;
        checkTime(result);
      }),
      { seed: FUZZ_SEED + 4, numRuns: RUNS.timeFarOut },
    );
    expect(counted.timeFarOut).toBe(RUNS.timeFarOut);
  });

  it(`should refuse in Chinese or answer a usable schedule, never throwing, when parseSchedule reads ${RUNS.scheduleFarOut} relative times a Date cannot hold (seed ${FUZZ_SEED})`, () => {
    fc.assert(
      fc.property(FAR_OUT, options, (text, o) => {
        counted.scheduleFarOut += 1;
        const result = parseSchedule(text, { ...o, calendar });
        if (result.ok) read.scheduleFarOut += 1;
        checkSchedule(result);
      }),
      { seed: FUZZ_SEED + 5, numRuns: RUNS.scheduleFarOut },
    );
    expect(counted.scheduleFarOut).toBe(RUNS.scheduleFarOut);
  });

  it(`should plan ${FUZZ_BUDGET.timeGrammar} inputs when the time grammar is fuzzed`, () => {
    const planned = Object.values(RUNS).reduce((a, b) => a + b, 0);
    const total = Object.values(counted).reduce((a, b) => a + b, 0);
    const ok = Object.values(read).reduce((a, b) => a + b, 0);
    console.log(`time grammar fuzz, seed ${FUZZ_SEED}: ${total} of ${planned} inputs run, ${ok} read, ${total - ok} refused`);
    expect(planned).toBe(FUZZ_BUDGET.timeGrammar);
  });

  it('should add up to 100,000 inputs when the three fuzz suites are counted together', () => {
    expect(Object.values(FUZZ_BUDGET).reduce((a, b) => a + b, 0)).toBe(FUZZ_TOTAL);
  });
});
