import { parseOffsets, type ParseOffsetsResult } from '../../src/time/parse-offsets';

function offsetsOf(result: ParseOffsetsResult): readonly number[] {
  if (!result.ok) throw new Error(`expected offsets, got error: ${result.error}`);
  return result.offsets;
}

function errorOf(result: ParseOffsetsResult): string {
  if (result.ok) throw new Error(`expected an error, got ${result.offsets.join(',')}`);
  return result.error;
}

const cases: readonly (readonly [input: string, minutes: readonly number[]])[] = [
  ['提前1天,提前2小时', [1440, 120]],
  ['提前1天，提前2小时', [1440, 120]],
  ['1天,2小时', [1440, 120]],
  ['提前1天、2小时', [1440, 120]],
  ['提前2小时,提前1天', [1440, 120]],
  ['提前30分钟', [30]],
  ['提前三天', [4320]],
  ['提前两个小时', [120]],
  ['提前十五分钟', [15]],
  ['提前1天2小时', [1560]],
  ['提前1天2小时30分钟', [1590]],
  ['提前半小时', [30]],
  ['提前1个半小时', [90]],
  ['提前半天', [720]],
  ['提前1周', [10080]],
  ['提前１天', [1440]],
  ['提前1天,提前1天,提前24小时', [1440]],
  ['提醒 提前1天,提前2小时', [1440, 120]],
  ['提前1天 2小时', [1440, 120]],
  [' 提前 1天 , 提前 2小时 ', [1440, 120]],
  ['提前1天和2小时', [1440, 120]],
  ['1天前,2小时前', [1440, 120]],
  ['提前1分钟', [1]],
  ['提前60天', [86400]],
  [Array.from({ length: 10 }, (_, i) => `提前${i + 1}分钟`).join(','), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]],
  [[...Array.from({ length: 10 }, (_, i) => `${i + 1}小时`), '60分钟'].join('、'), [600, 540, 480, 420, 360, 300, 240, 180, 120, 60]],
];

const errorCases: readonly (readonly [input: string, message: string])[] = [
  ['', '没写提醒时间'],
  ['提前', '没写提醒时间'],
  ['明天', '没看懂提醒时间「明天」'],
  ['提前1', '没看懂提醒时间'],
  ['提前2小时1天', '没看懂提醒时间'],
  ['提前1天1天', '没看懂提醒时间'],
  ['提前半分钟', '没看懂提醒时间'],
  ['提前0分钟', '超出范围'],
  ['提前61天', '超出范围'],
  ['提前60天1分钟', '超出范围'],
  [Array.from({ length: 11 }, (_, i) => `${i + 1}分钟`).join(','), '最多10个'],
];

describe('parseOffsets', () => {
  it.each(cases)('should read %p as %p minutes before', (input, minutes) => {
    expect(offsetsOf(parseOffsets(input))).toEqual(minutes);
  });

  it.each(errorCases)('should reject %p with a message containing %p', (input, message) => {
    const error = errorOf(parseOffsets(input));
    expect(error).toContain(message);
    expect(error).toContain('提醒 提前1天,提前2小时');
  });
});
