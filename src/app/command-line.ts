/** Splitting a chat command into words, duty numbers and keyword options. Pure. */

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』', "'": "'" };

/** Split on white space (ASCII and full-width); quoted parts stay one word: 会议 "支部 委员会" 明天. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let closing: string | undefined;
  let quoted = false;
  for (const ch of text) {
    if (closing) {
      if (ch === closing) closing = undefined;
      else current += ch;
      continue;
    }
    if (QUOTES[ch] !== undefined && current === '') {
      closing = QUOTES[ch];
      quoted = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (current !== '' || quoted) tokens.push(current);
      current = '';
      quoted = false;
      continue;
    }
    current += ch;
  }
  if (current !== '' || quoted) tokens.push(current);
  return tokens;
}

/** `#7`, `＃7`, `7` → 7. */
export function parseDutyNumber(token: string | undefined): number | undefined {
  const m = token?.match(/^[#＃]?(\d{1,6})$/);
  return m ? Number(m[1]) : undefined;
}

const SERIES_REF = /^(?:系列|[sSｓＳ])\s*[#＃]?\s*([0-9０-９]{1,4})(?![0-9０-９])\s*/;

/**
 * A series number at the start of `text`: `系列3`, `系列 3`, `系列#3`, `S3`, `s3` → 3, with the text after it.
 * The one reader of series numbers: 停止, 改期 and any other command naming a series use it.
 */
export function readSeriesNumber(text: string): { readonly number: number; readonly rest: string } | undefined {
  const m = SERIES_REF.exec(text.trim());
  if (!m?.[1]) return undefined;
  const digits = m[1].replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return { number: Number(digits), rest: text.trim().slice(m[0].length).trim() };
}

export interface SplitOptions {
  /** Words before the first keyword. */
  readonly head: string[];
  /** Keyword → the words after it, joined by one space. */
  readonly options: ReadonlyMap<string, string>;
  /** Keywords given twice. */
  readonly repeated: string[];
}

/**
 * Split words at keywords (地点, 提醒, …). A keyword stands alone (`地点 三楼`) or is glued to its value with a
 * colon (`地点：三楼`); a word that merely starts with a keyword (`提醒大家带党员证`, `地点调整会`) is text.
 */
export function splitOptions(tokens: readonly string[], keywords: readonly string[]): SplitOptions {
  const head: string[] = [];
  const options = new Map<string, string[]>();
  const repeated: string[] = [];
  let currentKey: string | undefined;
  for (const token of tokens) {
    const key = keywords.find((k) => token === k || (token.startsWith(k) && /^[:：]./.test(token.slice(k.length))));
    if (key) {
      if (options.has(key)) repeated.push(key);
      currentKey = key;
      const rest = token.slice(key.length).replace(/^[:：]/, '');
      options.set(key, rest ? [rest] : []);
      continue;
    }
    if (currentKey) options.get(currentKey)?.push(token);
    else head.push(token);
  }
  return { head, options: new Map([...options].map(([k, v]) => [k, v.join(' ')])), repeated };
}
