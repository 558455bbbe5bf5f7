import { zonedParts } from '../time/zoned';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-10-15 15:00` in the zone: sortable, and read alike by people and spreadsheets. */
export function formatWall(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `10月15日 15:00`. */
export function formatShort(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `2026年10月1日`. */
export function formatDay(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  return `${p.year}年${p.month}月${p.day}日`;
}
