/**
 * Reminder points before a time: `提前1天,提前2小时`, `1天、2小时`, `提前1天2小时` (one point, 26 hours)
 * → minutes before, deduplicated, largest first.
 */
import { normaliseNumerals } from './chinese-numerals';
import { quote } from '../domain/quote';

export type ParseOffsetsResult = { readonly ok: true; readonly offsets: readonly number[] } | { readonly ok: false; readonly error: string };

const EXAMPLE = '例如：提醒 提前1天,提前2小时';
const MAX_POINTS = 10;
const MIN_MINUTES = 1;
const MAX_MINUTES = 60 * 24 * 60;

/** Units by size; within one point they must come largest first (`1天2小时`, not `2小时1天`). */
const UNITS: readonly { readonly words: readonly string[]; readonly minutes: number }[] = [
  { words: ['星期', '周'], minutes: 7 * 24 * 60 },
  { words: ['天', '日'], minutes: 24 * 60 },
  { words: ['小时', '钟头'], minutes: 60 },
  { words: ['分钟', '分'], minutes: 1 },
];

// 2小时 | 2个小时 | 1个半小时 | 半小时 | 半个小时 | 半天
const AMOUNT = /^(?:(\d+)个?(半)?|(半)个?)(星期|周|天|日|小时|钟头|分钟|分)/;

export function parseOffsets(text: string): ParseOffsetsResult {
  const original = text.trim();
  const tokens = normaliseNumerals(original)
    .replace(/^提醒/, '')
    .split(/[,，、;；\s]+|和|及/)
    .map((t) => t.replace(/^提前/, '').replace(/前$/, ''))
    .filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, error: `没写提醒时间，${EXAMPLE}` };

  const offsets = new Set<number>();
  for (const token of tokens) {
    const minutes = parsePoint(token);
    if (minutes === undefined) return { ok: false, error: `没看懂提醒时间${quote(token)}，${EXAMPLE}` };
    if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) return { ok: false, error: `提醒时间${quote(token)}超出范围：要在1分钟到60天之间，${EXAMPLE}` };
    offsets.add(minutes);
  }
  if (offsets.size > MAX_POINTS) return { ok: false, error: `提醒点最多${MAX_POINTS}个，${EXAMPLE}` };
  return { ok: true, offsets: [...offsets].sort((a, b) => b - a) };
}

/** One point, e.g. `1天2小时30分钟`, in whole minutes; undefined when not understood. */
function parsePoint(token: string): number | undefined {
  let rest = token;
  let total = 0;
  let lastRank = -1;
  while (rest !== '') {
    const m = AMOUNT.exec(rest);
    if (!m) return undefined;
    const [read, count, halfAfter, halfAlone, word = ''] = m;
    const rank = UNITS.findIndex((u) => u.words.includes(word));
    const unit = UNITS[rank];
    if (!unit || rank <= lastRank) return undefined;
    const amount = Number(count ?? 0) * unit.minutes + (halfAfter || halfAlone ? unit.minutes / 2 : 0);
    if (!Number.isInteger(amount)) return undefined;
    total += amount;
    lastRank = rank;
    rest = rest.slice(read.length);
  }
  return total;
}
