/** A recurrence rule in Chinese words, e.g. `每月最后一个工作日 15:00`, `每周一、三、五 09:00，遇节假日顺延`. */
import { toChineseNumeral } from './chinese-numerals';
import { parseIsoDate } from './iso-date';
import type { OnDayOff, RecurrenceRule } from './recurrence-rule';

const WEEKDAY_CHARS = ['', '一', '二', '三', '四', '五', '六', '日'];
const PERIOD_WORDS = { month: '每月', quarter: '每季度', year: '每年' } as const;
const ON_DAY_OFF_WORDS: Readonly<Record<OnDayOff, string>> = { keep: '', next: '，遇节假日顺延', previous: '，遇节假日提前' };

const pad = (n: number): string => String(n).padStart(2, '0');

/** 第三个, 最后一个, 倒数第二个. */
function ordinal(nth: number): string {
  if (nth === -1) return '最后一个';
  return nth < 0 ? `倒数第${toChineseNumeral(-nth)}个` : `第${toChineseNumeral(nth)}个`;
}

function weekdays(days: readonly number[]): string {
  return `周${days.map((d) => WEEKDAY_CHARS[d] ?? String(d)).join('、')}`;
}

function datePart(rule: RecurrenceRule): string {
  switch (rule.kind) {
    case 'daily':
      return '每天';
    case 'workday':
      return '每个工作日';
    case 'weekly': {
      if (rule.interval === 1) return `每${weekdays(rule.weekdays)}`;
      return `每${toChineseNumeral(rule.interval).replace(/^二$/, '两')}周的${weekdays(rule.weekdays)}`;
    }
    case 'monthly-day':
      return `每月${rule.day}日`;
    case 'monthly-weekday':
      return `每月${ordinal(rule.nth)}周${WEEKDAY_CHARS[rule.weekday] ?? ''}`;
    case 'nth-workday':
      return `${PERIOD_WORDS[rule.period]}${ordinal(rule.nth)}工作日`;
    case 'yearly-date':
      return `每年${rule.month}月${rule.day}日`;
  }
}

/** 每两周: which weeks, e.g. `（从2026年11月30日那周算起）`. */
function anchorNote(rule: RecurrenceRule): string {
  if (rule.kind !== 'weekly' || rule.interval === 1 || rule.anchor === undefined) return '';
  const anchor = parseIsoDate(rule.anchor);
  return anchor ? `（从${anchor.year}年${anchor.month}月${anchor.day}日那周算起）` : '';
}

export function describeRule(rule: RecurrenceRule): string {
  const onDayOff = 'onDayOff' in rule ? ON_DAY_OFF_WORDS[rule.onDayOff] : '';
  return `${datePart(rule)} ${pad(rule.hour)}:${pad(rule.minute)}${anchorNote(rule)}${onDayOff}`;
}
