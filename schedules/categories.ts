import type { DutyKind } from '../src/domain/types';

/**
 * The categories of duties a branch is assessed on (考核, 三会一课 inspections; ../shared/domain.md), as data: the
 * 台账 groups duties by these, and a duty's category is given (类别 …), set by its template item, or read from its
 * title by the first row whose words it contains. Rows are tried in order, so a longer phrase comes before a word
 * it contains (支部党员大会 before 党员大会). The last row of each kind is its fallback.
 */
export interface CategoryRow {
  readonly name: string;
  /** The kind a duty of this category is (a 党课 is a study session, a 述职 a report). */
  readonly kind: DutyKind;
  /** Words in a title that make a duty this category. */
  readonly words: readonly string[];
}

export const CATEGORY_ROWS = [
  { name: '支委会', kind: 'meeting', words: ['支委会', '支部委员会', '支委扩大会'] },
  { name: '党小组会', kind: 'meeting', words: ['党小组会', '党小组'] },
  { name: '支部党员大会', kind: 'meeting', words: ['支部党员大会', '党员大会'] },
  { name: '主题党日', kind: 'meeting', words: ['主题党日', '党日活动', '党日'] },
  { name: '组织生活会', kind: 'meeting', words: ['组织生活会', '专题组织生活'] },
  { name: '民主评议', kind: 'meeting', words: ['民主评议'] },
  { name: '党课', kind: 'study', words: ['党课'] },
  { name: '中心组学习', kind: 'study', words: ['中心组'] },
  { name: '青年理论学习小组', kind: 'study', words: ['青年理论学习', '青年学习小组', '青年理论'] },
  { name: '述职', kind: 'report', words: ['述职'] },
  { name: '其他会议', kind: 'meeting', words: [] },
  { name: '其他学习', kind: 'study', words: [] },
  { name: '其他报告', kind: 'report', words: [] },
] as const satisfies readonly CategoryRow[];

export type Category = (typeof CATEGORY_ROWS)[number]['name'];
