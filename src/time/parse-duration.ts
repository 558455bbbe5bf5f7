/**
 * How long a meeting lasts (时长): `1.5小时`, `90分钟`, `2小时`, `一个半小时`, `1小时30分钟`, `半小时`, `2h`,
 * `90min` → whole minutes. Pure.
 */
import { normaliseNumerals } from './chinese-numerals';

export type ParseDurationResult = { readonly ok: true; readonly minutes: number } | { readonly ok: false; readonly error: string };

export const DURATION_EXAMPLE = '例如：时长 1.5小时、时长 90分钟';
const MIN_MINUTES = 5;
/** The longest 时长 accepted (24 hours): a duty ends at most this long after its start. */
export const MAX_DURATION_MINUTES = 24 * 60;

const HOURS = '(?:小时|钟头|h|hr|hrs|hour|hours)';
const MINUTES = '(?:分钟|分|min|mins|m)';
// 1.5小时 | 2个小时 | 1个半小时 | 半小时 | 1小时30分钟 | 90分钟
const WHOLE = new RegExp(
  `^(?:(?:(\\d+(?:\\.\\d+)?)个?(半)?|(半)个?)${HOURS})?(?:(\\d+)${MINUTES})?$`,
  'i',
);

export function parseDuration(text: string): ParseDurationResult {
  const typed = text.trim();
  const t = normaliseNumerals(typed).replace(/[\s:：]/g, '').replace(/钟$/, '');
  const m = t === '' ? null : WHOLE.exec(t);
  if (!m || (m[1] === undefined && m[3] === undefined && m[4] === undefined)) return { ok: false, error: `没看懂时长「${typed}」，${DURATION_EXAMPLE}` };
  const [, hours, halfAfter, halfAlone, minutes] = m;
  const total = Number(hours ?? 0) * 60 + (halfAfter || halfAlone ? 30 : 0) + Number(minutes ?? 0);
  if (!Number.isInteger(total)) return { ok: false, error: `时长「${typed}」请写到整分钟，${DURATION_EXAMPLE}` };
  if (total < MIN_MINUTES || total > MAX_DURATION_MINUTES) return { ok: false, error: `时长「${typed}」超出范围：要在${MIN_MINUTES}分钟到24小时之间，${DURATION_EXAMPLE}` };
  return { ok: true, minutes: total };
}
