import { zonedParts } from './zoned';

const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

export const weekdayName = (isoWeekday: number): string => WEEKDAY_NAMES[isoWeekday] ?? '';

/** `12月5日（周六）14:30`; the year is shown when it differs from `now`'s. */
export function formatDateTime(epochMs: number, timeZone: string, now?: number): string {
  const p = zonedParts(epochMs, timeZone);
  const year = now !== undefined && zonedParts(now, timeZone).year !== p.year ? `${p.year}年` : '';
  return `${year}${p.month}月${p.day}日（${weekdayName(p.weekday)}）${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The answer to a time already past, with the date read: `这个时间已经过去了（12月4日（周五）15:00），请换一个将来的时间。` */
export function passedMessage(at: number, timeZone: string, now: number): string {
  return `这个时间已经过去了（${formatDateTime(at, timeZone, now)}），请换一个将来的时间。`;
}

/** `还有 1天3小时`, `还有 45分钟`, `已过去`; rounded down to what matters. */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return '已到时间';
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `还有 ${days}天${hours > 0 ? `${hours}小时` : ''}`;
  if (hours > 0) return `还有 ${hours}小时${mins > 0 ? `${mins}分钟` : ''}`;
  return `还有 ${Math.max(mins, 1)}分钟`;
}

/** `1天`, `2小时`, `1天2小时`, `30分钟`: a reminder offset in minutes. */
export function formatOffset(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d > 0 ? `${d}天` : '', h > 0 ? `${h}小时` : '', m > 0 ? `${m}分钟` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('') : '0分钟';
}
