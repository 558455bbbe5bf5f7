import { parseLedgerPeriod } from './minutes-ledger';
import { namedPeriod, type PeriodParse } from './stats-period';

export const POINTS_EXAMPLES = '例如：积分、积分 本季度、积分 本年、积分 上月、积分 2026、积分 10月1日至12月31日；书记可发「积分 排行 本季度」';

/** What `积分 …` asks: the sender's own points, or (积分 排行 …) the chat's ranking, and the words of the period. */
export interface PointsRequest {
  readonly ranking: boolean;
  readonly period: string;
}

const PUNCTUATION = /^[\s:：,，、。.]+|[\s,，、。.!！]+$/g;

/**
 * Read the words after the command word: `排行 本季度`, `排行本季度`, `：本年`, `本年`. `verb` is the word that matched
 * (积分 / 我的积分 / 积分排行 / 积分排名).
 */
export function readPointsRequest(verb: string, args: string): PointsRequest {
  let rest = args.replace(PUNCTUATION, '');
  let ranking = /排行|排名/.test(verb);
  const m = /^(?:排行榜?|排名)/.exec(rest);
  if (m) {
    ranking = true;
    rest = rest.slice(m[0].length).replace(PUNCTUATION, '');
  }
  return { ranking, period: rest };
}

/** The period of 积分: 本月 when none is written; else what 台账 reads (本季度, 本年, 2026, <起>至<止>). */
export function parsePointsPeriod(text: string, now: number, timeZone: string): PeriodParse {
  if (text.trim() === '') return { ok: true, period: namedPeriod('month', 0, now, timeZone) };
  const parsed = parseLedgerPeriod(text, now, timeZone);
  if (parsed.ok) return parsed;
  return { ok: false, error: `${parsed.error.replace(/。例如[\s\S]*$/, '')}。${POINTS_EXAMPLES}` };
}
