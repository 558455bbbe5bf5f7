import type { DutyKind } from '../src/domain/types';
import type { Category } from './categories';

/**
 * Recurring duty templates, plain data. Each item's `schedule` is a phrase of our own time grammar
 * (src/time/CONVENTIONS.md), so a secretary can read it and change it with 「改期 系列<编号> <规则>」.
 * Cadences follow shared/domain.md: 三会一课 is 支委会 and 党小组会 monthly, 支部党员大会 and 党课 quarterly.
 */
export interface TemplateItem {
  readonly kind: DutyKind;
  /** The word the duty is announced with (会议 / 学习 / 述职 …). */
  readonly label: string;
  readonly title: string;
  readonly schedule: string;
  /** The category its duties are filed under in the 台账 (schedules/categories.ts). */
  readonly category: Category;
}

export interface DutyTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly items: readonly TemplateItem[];
}

export const TEMPLATES: readonly DutyTemplate[] = [
  {
    id: 'sanhui-yike',
    name: '三会一课',
    description: '支委会、党小组会每月，支部党员大会、党课每季度',
    items: [
      { kind: 'meeting', label: '会议', title: '支部委员会', schedule: '每月第一个工作日 15:00', category: '支委会' },
      { kind: 'meeting', label: '会议', title: '党小组会', schedule: '每月第二个周三 15:00 遇节假日顺延', category: '党小组会' },
      { kind: 'meeting', label: '会议', title: '支部党员大会', schedule: '每季度第10个工作日 15:00', category: '支部党员大会' },
      { kind: 'study', label: '学习', title: '党课', schedule: '每季度最后一个工作日 15:00', category: '党课' },
    ],
  },
  {
    id: 'zhuti-dangri',
    name: '主题党日',
    description: '每月固定一天',
    items: [{ kind: 'meeting', label: '会议', title: '主题党日', schedule: '每月15号 15:00 遇节假日顺延', category: '主题党日' }],
  },
  {
    id: 'zhongxinzu',
    name: '理论学习中心组',
    description: '每月一次集体学习',
    items: [{ kind: 'study', label: '学习', title: '理论学习中心组学习', schedule: '每月最后一个周四 09:00 遇节假日提前', category: '中心组学习' }],
  },
  {
    id: 'zuzhi-shenghuo',
    name: '组织生活会',
    description: '每年一次组织生活会和民主评议党员',
    items: [
      { kind: 'meeting', label: '会议', title: '组织生活会', schedule: '每年12月20日 09:00 遇节假日顺延', category: '组织生活会' },
      { kind: 'meeting', label: '会议', title: '民主评议党员', schedule: '每年12月22日 15:00 遇节假日顺延', category: '民主评议' },
    ],
  },
  {
    id: 'shuzhi',
    name: '述职',
    description: '每年12月交述职报告',
    items: [{ kind: 'report', label: '述职', title: '年度述职报告', schedule: '每年12月25日 18:00 遇节假日提前', category: '述职' }],
  },
  {
    id: 'qiyi-biaozhang',
    name: '七一表彰推荐',
    description: '每年6月上报表彰推荐材料',
    items: [{ kind: 'report', label: '材料', title: '七一表彰推荐材料', schedule: '每年6月15日 18:00 遇节假日提前', category: '其他报告' }],
  },
];
