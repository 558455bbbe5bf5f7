/**
 * The meeting options of 会议 / 学习 / 述职 … (issue 14), read from the words after their keywords: 时长 1.5小时,
 * 主持人 @某人, 记录人 @某人, 议题 <文字>, 类别 <类别>, 签到码 开, 需附件. Pure: each bad value is a Chinese refusal.
 */
import type { DutyOptions } from '../domain/duty-options';
import type { DutyKind, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import { parseDuration } from '../time/parse-duration';
import { readCategory } from './category-words';

/** Keywords taking a value, in the order the README lists them. */
export const OPTION_KEYWORDS = ['时长', '主持人', '记录人', '议题', '类别', '签到码'] as const;
/** Words standing alone that switch an option on. */
export const FLAG_WORDS: Readonly<Record<string, 'needsFile'>> = { 需附件: 'needsFile', 需要附件: 'needsFile' };

export const AGENDA_MAX = 300;
const ON = /^(?:开|开启|打开|启用|是|要)$/;
const OFF = /^(?:关|关闭|不要|否|不)$/;

export interface OptionsContext {
  readonly kind: DutyKind;
  /** People @-mentioned in the message; undefined where there are none to match (luoshi parse): names are kept. */
  readonly mentions?: readonly Pick<Member, 'id' | 'name'>[] | undefined;
}

/** The options given in `values` (keyword → its words) and `flags` (需附件), checked against the duty's kind. */
export function readDutyOptions(values: ReadonlyMap<string, string>, flags: ReadonlySet<string>, at: OptionsContext): DutyOptions {
  const meeting = at.kind !== 'report';
  const given = (key: string): string | undefined => {
    const v = values.get(key);
    if (v === undefined) return undefined;
    if (!v.trim()) throw new AppError(ErrorCode.BadCommand, `「${key}」后面要写内容，例如：${EXAMPLES[key] ?? ''}`);
    return v.trim();
  };
  const onlyMeetings = (key: string): void => {
    if (!meeting) throw new AppError(ErrorCode.BadInput, `「${key}」只用于会议和学习，述职、报告类事项不用写。`);
  };
  const options: { -readonly [K in keyof DutyOptions]: DutyOptions[K] } = {};
  const duration = given('时长');
  if (duration !== undefined) {
    onlyMeetings('时长');
    const parsed = parseDuration(duration);
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, parsed.error);
    options.durationMinutes = parsed.minutes;
  }
  for (const [key, field] of [['主持人', 'host'], ['记录人', 'recorder']] as const) {
    const who = given(key);
    if (who === undefined) continue;
    onlyMeetings(key);
    options[field] = personNamed(key, who, at.mentions);
  }
  const agenda = given('议题');
  if (agenda !== undefined) {
    if (agenda.length > AGENDA_MAX) throw new AppError(ErrorCode.BadInput, `议题太长了（最多 ${AGENDA_MAX} 个字）。`);
    options.agenda = agenda;
  }
  const category = given('类别');
  if (category !== undefined) options.category = readCategory(category, EXAMPLES['类别'] ?? '');
  const code = given('签到码');
  if (code !== undefined) {
    onlyMeetings('签到码');
    if (ON.test(code)) options.signinCode = true;
    else if (!OFF.test(code)) throw new AppError(ErrorCode.BadInput, `「签到码」后面写「开」或「关」，例如：${EXAMPLES['签到码'] ?? ''}`);
  }
  if (flags.has('needsFile')) {
    if (meeting) throw new AppError(ErrorCode.BadInput, '「需附件」只用于述职、报告、材料类事项：提交时要附上文件。');
    options.needsFile = true;
  }
  return options;
}

const EXAMPLES: Readonly<Record<string, string>> = {
  时长: '时长 1.5小时',
  主持人: '主持人 @张三',
  记录人: '记录人 @张三',
  议题: '议题 研究发展党员工作',
  类别: '类别 党课',
  签到码: '签到码 开',
};

/** The one person `@张丽` names among the message's mentions. */
function personNamed(key: string, written: string, mentions: OptionsContext['mentions']): Pick<Member, 'id' | 'name'> {
  const names = written.split(/(?=@)/).map((w) => w.replace(/^@/, '').replace(/[\s,，。、；;]+$/, '')).filter((w) => w !== '');
  if (names.length !== 1) throw new AppError(ErrorCode.BadInput, `「${key}」只写一位，例如：${EXAMPLES[key] ?? ''}`);
  const name = names[0] ?? '';
  if (mentions === undefined) return { id: name, name };
  const found = mentions.find((m) => m.name === name);
  if (!found) throw new AppError(ErrorCode.BadInput, `请用 @ 选出${key}（要是本群的成员），例如：${EXAMPLES[key] ?? ''}`);
  return { id: found.id, name: found.name };
}
