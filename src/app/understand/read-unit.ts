import { inferLevel } from '../../domain/units';

/**
 * 本群 … as a secretary types it (issue 15): `本群：第一党支部，上级：市财政局机关党委`, `本群第一党支部上级市财政局机关党委`
 * → `第一党支部 上级 市财政局机关党委`. Chinese punctuation separates; 上级/上级单位/级别 stand alone as keywords.
 */
export function unitWords(args: string): string {
  return args
    .replace(/^[:：\s]+/, '')
    .replace(/[，,；;、。]/g, ' ')
    .replace(/(上级(?:单位)?|级别)\s*[:：是为]?\s*/g, (_m, key: string) => ` ${key.startsWith('上级') ? '上级' : '级别'} `)
    .trim();
}

/**
 * The strict 本群 line for a message that starts with 本群 and then a unit's name (ending like one: 党支部, 党委 …, or
 * followed by 级别); else undefined, so 本群明天开支部委员会 stays a duty.
 */
export function readUnit(text: string): string | undefined {
  const m = /^本群(?:是|为)?\s*[:：]?\s*(.+)$/.exec(text);
  if (!m?.[1]) return undefined;
  const words = unitWords(m[1]);
  const [name, next] = words.split(' ');
  if (!name || (inferLevel(name) === undefined && next !== '级别')) return undefined;
  return `本群 ${words}`;
}
