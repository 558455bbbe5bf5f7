import { parseDutyNumber, readSeriesNumber, splitOptions, tokenize } from '../../src/app/command-line';

describe('command line', () => {
  it('should split on ASCII and full-width spaces and keep quoted words together', () => {
    expect(tokenize('会议  "支部 委员会"　明天 下午3点')).toEqual(['会议', '支部 委员会', '明天', '下午3点']);
    expect(tokenize('会议 「理论 学习」 明天')).toEqual(['会议', '理论 学习', '明天']);
    expect(tokenize('')).toEqual([]);
  });

  it.each([
    ['#7', 7],
    ['＃12', 12],
    ['3', 3],
    ['#', undefined],
    ['#7a', undefined],
    [undefined, undefined],
  ])('should read the duty number %s as %s', (token, expected) => {
    expect(parseDutyNumber(token)).toBe(expected);
  });

  it('should split options at keywords, alone or glued to their value with a colon', () => {
    const { head, options, repeated } = splitOptions(['支部委员会', '明天', '下午3点', '地点', '三楼', '会议室', '提醒：提前1天'], ['地点', '提醒']);
    expect(head).toEqual(['支部委员会', '明天', '下午3点']);
    expect(Object.fromEntries(options)).toEqual({ 地点: '三楼 会议室', 提醒: '提前1天' });
    expect(repeated).toEqual([]);
    expect(splitOptions(['a', '地点：一楼', '地点', '二楼'], ['地点']).repeated).toEqual(['地点']);
  });

  it('should read a word that merely starts with a keyword as text', () => {
    const { head, options } = splitOptions(['地点调整会', '明天', '备注', '提醒大家带党员证'], ['地点', '提醒', '备注']);
    expect(head).toEqual(['地点调整会', '明天']);
    expect(Object.fromEntries(options)).toEqual({ 备注: '提醒大家带党员证' });
  });

  it.each([
    ['S3', { number: 3, rest: '' }],
    ['s3 每周一', { number: 3, rest: '每周一' }],
    ['系列3', { number: 3, rest: '' }],
    ['系列 12 每月15号', { number: 12, rest: '每月15号' }],
    ['系列#2', { number: 2, rest: '' }],
    ['系列３', { number: 3, rest: '' }],
    ['#3', undefined],
    ['系列', undefined],
    ['Sa', undefined],
    ['系列12345', undefined],
  ])('should read the series number in %s', (text, expected) => {
    expect(readSeriesNumber(text)).toEqual(expected);
  });
});
