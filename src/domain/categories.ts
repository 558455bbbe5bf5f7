import { CATEGORY_ROWS, type Category, type CategoryRow } from '../../schedules/categories';
import type { Duty, DutyKind } from './types';

export type { Category };

/** Every category name, in the table's order (the 台账 lists them so). */
export const CATEGORIES: readonly Category[] = CATEGORY_ROWS.map((row) => row.name);

const FALLBACK: Readonly<Record<DutyKind, Category>> = { meeting: '其他会议', study: '其他学习', report: '其他报告' };

/** A category by its name, as typed (类别 党课); undefined when there is none. */
export function categoryNamed(word: string): Category | undefined {
  const w = word.trim();
  return CATEGORIES.find((name) => name === w);
}

/** The kind a duty of `category` is. */
export function kindOfCategory(category: Category): DutyKind {
  return (CATEGORY_ROWS as readonly CategoryRow[]).find((row) => row.name === category)?.kind ?? 'meeting';
}

/**
 * The category read from a duty's title and kind: the first row of the table whose words the title (or the word
 * it was announced with, e.g. 述职, 党课) contains, else the kind's fallback (其他会议, 其他学习, 其他报告).
 */
export function inferCategory(kind: DutyKind, title: string, label = ''): Category {
  const text = `${label} ${title}`;
  for (const row of CATEGORY_ROWS as readonly CategoryRow[]) {
    if (row.words.some((w) => text.includes(w))) return row.name as Category;
  }
  return FALLBACK[kind];
}

/** A duty's category: the one stored with it, else (a duty made before categories) read from its title. */
export function categoryOf(duty: Pick<Duty, 'kind' | 'title' | 'label' | 'category'>): Category {
  return duty.category ?? inferCategory(duty.kind, duty.title, duty.label);
}

/** Meetings and study sessions last two hours unless told (时长). */
export const DEFAULT_DURATION_MINUTES = 120;

/** When a meeting or study session ends (start + 时长); a report's deadline is its end. */
export function endOf(duty: Pick<Duty, 'kind' | 'at' | 'durationMinutes'>): number {
  if (duty.kind === 'report') return duty.at;
  return duty.at + (duty.durationMinutes ?? DEFAULT_DURATION_MINUTES) * 60_000;
}
