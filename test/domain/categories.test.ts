import { CATEGORIES, categoryNamed, categoryOf, endOf, inferCategory, kindOfCategory } from '../../src/domain/categories';

describe('duty categories (schedules/categories.ts)', () => {
  it('should list the thirteen categories of the assessment', () => {
    expect(CATEGORIES).toEqual([
      '支委会', '党小组会', '支部党员大会', '主题党日', '组织生活会', '民主评议', '党课', '中心组学习', '青年理论学习小组', '述职', '其他会议', '其他学习', '其他报告',
    ]);
  });

  it.each([
    ['meeting', '支部委员会', '会议', '支委会'],
    ['meeting', '第三党小组会', '会议', '党小组会'],
    ['meeting', '第二季度支部党员大会', '会议', '支部党员大会'],
    ['meeting', '党员大会', '会议', '支部党员大会'],
    ['meeting', '五月主题党日活动', '会议', '主题党日'],
    ['meeting', '2026年度组织生活会', '会议', '组织生活会'],
    ['meeting', '民主评议党员', '会议', '民主评议'],
    ['study', '七一专题党课', '学习', '党课'],
    ['study', '二季度学习', '党课', '党课'],
    ['study', '理论学习中心组学习', '学习', '中心组学习'],
    ['study', '青年理论学习小组第3期', '学习', '青年理论学习小组'],
    ['report', '年度述职报告', '述职', '述职'],
    ['report', '七一表彰推荐材料', '材料', '其他报告'],
    ['meeting', '安全生产协调会', '会议', '其他会议'],
    ['study', '读书分享', '学习', '其他学习'],
  ] as const)('should read %s「%s」(%s) as %s', (kind, title, label, expected) => {
    expect(inferCategory(kind, title, label)).toBe(expected);
  });

  it('should take a stored category over the title, and read the title of an older duty without one', () => {
    expect(categoryOf({ kind: 'meeting', title: '支部委员会', label: '会议', category: '党课' })).toBe('党课');
    expect(categoryOf({ kind: 'meeting', title: '支部委员会', label: '会议' })).toBe('支委会');
  });

  it('should know a category by its exact name only, and the kind of each', () => {
    expect(categoryNamed(' 党课 ')).toBe('党课');
    expect(categoryNamed('党课吧')).toBeUndefined();
    expect(kindOfCategory('述职')).toBe('report');
    expect(kindOfCategory('中心组学习')).toBe('study');
    expect(kindOfCategory('支委会')).toBe('meeting');
  });

  it('should end a meeting two hours after its start unless told, and a report at its deadline', () => {
    const at = Date.UTC(2026, 11, 7, 7, 0);
    expect(endOf({ kind: 'meeting', at })).toBe(at + 2 * 3600_000);
    expect(endOf({ kind: 'study', at, durationMinutes: 90 })).toBe(at + 90 * 60_000);
    expect(endOf({ kind: 'report', at, durationMinutes: 90 })).toBe(at);
  });
});
