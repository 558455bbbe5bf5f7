import type { Category } from './categories';

/**
 * What a unit must hold (督查, issue 15), as data: each row a category, the period it is owed in, the minimum per
 * period and the levels of unit it applies to, with its source. Defaults from the team's table (shared/domain.md,
 * 《中国共产党支部工作条例（试行）》2018 and common practice); an operator changes them here.
 */
export interface RequirementRow {
  readonly category: Category;
  readonly period: 'month' | 'quarter' | 'year';
  readonly min: number;
  readonly levels: readonly ('工委' | '机关党委' | '党总支' | '党支部' | '党小组')[];
  readonly source: string;
}

export const REQUIREMENT_ROWS: readonly RequirementRow[] = [
  { category: '支部党员大会', period: 'quarter', min: 1, levels: ['党支部'], source: '《支部工作条例》第十九条：党员大会一般每季度召开1次' },
  { category: '支委会', period: 'month', min: 1, levels: ['党支部', '党总支'], source: '《支部工作条例》第十九条：支部委员会会议一般每月召开1次' },
  { category: '党小组会', period: 'month', min: 1, levels: ['党小组'], source: '《支部工作条例》第十九条：党小组会一般每月召开1次' },
  { category: '党课', period: 'quarter', min: 1, levels: ['党支部'], source: '《支部工作条例》第十九条及通行要求：党课每季度至少1次，书记每年至少讲1次' },
  { category: '主题党日', period: 'month', min: 1, levels: ['党支部'], source: '《支部工作条例》第二十条：每月相对固定1天开展主题党日' },
  { category: '组织生活会', period: 'year', min: 1, levels: ['党支部'], source: '《支部工作条例》第二十一条：组织生活会一般每年召开1次' },
  { category: '民主评议', period: 'year', min: 1, levels: ['党支部'], source: '《支部工作条例》第二十二条：民主评议党员一般每年开展1次' },
];
