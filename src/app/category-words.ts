/**
 * Reading a category as a secretary types it (类别 党课, 类别：党课), for 会议 … 类别 … and 类别 #7 …; the answer
 * to a word that is none lists them all (schedules/categories.ts). Pure.
 */
import { CATEGORIES, categoryNamed, type Category } from '../domain/categories';
import { AppError, ErrorCode } from '../errors';

/** The known categories, as listed in answers. */
export const CATEGORY_LIST = CATEGORIES.join('、');

/** The category named by `word` (punctuation around it dropped); a Chinese refusal listing the known ones otherwise. */
export function readCategory(word: string, example: string): Category {
  const w = word.replace(/^[\s:：,，。、]+|[\s,，。；;、！!]+$/g, '');
  if (!w) throw new AppError(ErrorCode.BadInput, `请写上类别，例如：${example}。可选的类别：${CATEGORY_LIST}`);
  const found = categoryNamed(w);
  if (!found) throw new AppError(ErrorCode.BadInput, `没有「${w}」这个类别。可选的类别：${CATEGORY_LIST}。例如：${example}`);
  return found;
}

/** A category to show in an example of 类别 #n …: 党课, or 支委会 when the duty is a 党课 already. */
export const otherCategoryExample = (current: Category): Category => (current === '党课' ? '支委会' : '党课');
