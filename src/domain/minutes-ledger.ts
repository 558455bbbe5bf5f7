import { normaliseNumerals } from '../time/chinese-numerals';
import { namedPeriod, parseStatsPeriod, PERIOD_EXAMPLES, type PeriodParse } from './stats-period';
import { zonedParts } from '../time/zoned';

export const LEDGER_EXAMPLES = '例如：台账 本年、台账 2026、台账 本季度、台账 上季度、台账 2026-01-01至2026-06-30';

/**
 * The period of a ledger (台账): a year written alone (2026, 2026年, 2026年度), else what 统计 reads
 * (src/domain/stats-period.ts: 本年, 本季度, 上月, <起>至<止>); nothing written means 本年.
 */
export function parseLedgerPeriod(input: string, now: number, timeZone: string): PeriodParse {
  const text = normaliseNumerals(input).replace(/\s+/g, '');
  if (text === '') return { ok: true, period: namedPeriod('year', 0, now, timeZone) };
  const year = /^(\d{4})年?度?$/.exec(text);
  if (year) {
    const y = Number(year[1]);
    if (y < 2000 || y > 2100) return { ok: false, error: `年份「${y}」不对。${LEDGER_EXAMPLES}` };
    return { ok: true, period: namedPeriod('year', zonedParts(now, timeZone).year - y, now, timeZone) };
  }
  const parsed = parseStatsPeriod(input, now, timeZone);
  return parsed.ok ? parsed : { ok: false, error: parsed.error.replace(PERIOD_EXAMPLES, LEDGER_EXAMPLES) };
}

/** `纪要 #7 <文字>` read: the number (#7, ＃７, 7) and the text after it, newlines kept; undefined without a number. */
export function readMinutesCommand(args: string): { readonly number: number; readonly text: string } | undefined {
  const m = /^[#＃]?\s*([0-9０-９]{1,6})(?![0-9０-９])[\s:：,，、]*([\s\S]*)$/.exec(args.trim());
  if (!m?.[1]) return undefined;
  return { number: Number(normaliseNumerals(m[1])), text: (m[2] ?? '').trim() };
}
