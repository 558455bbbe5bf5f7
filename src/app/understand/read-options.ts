/**
 * The meeting options of a duty written freely (issue 14), with or without spaces or colons:
 * `时长1.5小时`, `时长：90分钟`, `主持人@张丽记录人@刘洋`, `议题：研究发展党员工作`, `类别：党课`, `签到码开`,
 * `需附件`; read after the 备注 (which runs to the end), so `请主持人…` in a note stays text. 主持人 and 记录人 take
 * an @-mention, or a name after a colon or a space. Pure: the values are kept as written and checked by the strict
 * reader (src/app/duty-options-reader.ts), so a bad one gets its clear answer there.
 */
import { CATEGORIES } from '../../domain/categories';

export interface WrittenOptions {
  readonly duration?: string;
  readonly host?: string;
  readonly recorder?: string;
  readonly agenda?: string;
  readonly category?: string;
  readonly signin?: string;
  readonly needsFile?: boolean;
}

const KEYS = '时长|主持人|主持|记录人|记录员|议题|类别|签到码|需附件|需要附件|地点|提醒|链接|备注';
/** Where a value ends: a separator, the next keyword, or the end. */
const STOP = `(?=[\\s,，。；;]|${KEYS}|$)`;
const NUMBER = '(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十]+)';
const AMOUNT = `(?:${NUMBER}?个?半?(?:小时|钟头|分钟|分|h|min)(?:${NUMBER}(?:分钟|分))?)`;
const CATEGORY_NAMES = [...CATEGORIES].sort((a, b) => b.length - a.length).join('|');

const DURATION = new RegExp(`(?:会议)?时长[:：]?\\s*(${AMOUNT}|[^\\s,，。；;]+?)${STOP}`, 'i');
const PERSON = (keys: string): RegExp => new RegExp(`(?:${keys})[:：]?\\s*(@[^\\s@,，。；;]+?|(?<=[:：\\s])[^\\s@,，。；;]+?)${STOP}`);
const HOST = PERSON('主持人|主持');
const RECORDER = PERSON('记录人|记录员');
const AGENDA = new RegExp(`(?:会议)?议题[:：]?\\s*(.+?)(?=[\\s,，。；;]*(?:${KEYS})|[\\s,，。；;]*$)`);
const CATEGORY = new RegExp(`类别[:：]?\\s*(${CATEGORY_NAMES}|[^\\s,，。；;]+?)${STOP}`);
const SIGNIN = new RegExp(`签到码[:：]?\\s*(开启|打开|开|关闭|关|[^\\s,，。；;]+?)${STOP}|(?:开启|启用|使用|需要)签到码()`);
const NEEDS_FILE = new RegExp(`(?:需要?(?:上传|提交|附上)?附件)(?=[\\s,，。；;]|$)`);

/** The options found in `text`, and the text without them. */
export function takeOptions(input: string): { readonly text: string; readonly options: WrittenOptions } {
  let text = input;
  const take = (re: RegExp): RegExpExecArray | undefined => {
    const m = re.exec(text);
    if (!m) return undefined;
    text = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`;
    return m;
  };
  const agenda = take(AGENDA)?.[1]?.trim();
  const host = take(HOST)?.[1];
  const recorder = take(RECORDER)?.[1];
  const duration = take(DURATION)?.[1];
  const category = take(CATEGORY)?.[1];
  const signin = take(SIGNIN);
  const needsFile = take(NEEDS_FILE) !== undefined;
  return {
    text,
    options: {
      ...(duration ? { duration } : {}),
      ...(host ? { host: host.startsWith('@') ? host : `@${host}` } : {}),
      ...(recorder ? { recorder: recorder.startsWith('@') ? recorder : `@${recorder}` } : {}),
      ...(agenda ? { agenda } : {}),
      ...(category ? { category } : {}),
      ...(signin ? { signin: signin[1] ?? '开' } : {}),
      ...(needsFile ? { needsFile } : {}),
    },
  };
}

/** The options as the strict command's words: `时长 1.5小时 主持人 @张丽 …`. */
export function optionWords(o: WrittenOptions): string[] {
  return [
    ...(o.duration ? ['时长', o.duration] : []),
    ...(o.host ? ['主持人', o.host] : []),
    ...(o.recorder ? ['记录人', o.recorder] : []),
    ...(o.agenda ? ['议题', o.agenda] : []),
    ...(o.category ? ['类别', o.category] : []),
    ...(o.signin ? ['签到码', o.signin] : []),
    ...(o.needsFile ? ['需附件'] : []),
  ];
}
