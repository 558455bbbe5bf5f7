/**
 * Normalisation of user-typed numbers: full-width characters and Chinese numerals become ASCII,
 * so the grammars downstream only ever see Arabic digits, `:`, `/`, `-` and `.`.
 */

const DIGITS: Readonly<Record<string, string>> = {
  零: '0',
  〇: '0',
  一: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

const NUMERAL_RUN = /[零〇一二两三四五六七八九十]+/g;

const FULL_WIDTH: Readonly<Record<string, string>> = { '：': ':', '／': '/', '－': '-', '．': '.', '\u3000': ' ' };

/**
 * A run of Chinese numerals as Arabic digits: `十五` → `15`, `二十三` → `23`, `三十` → `30`, `十` → `10`,
 * `二〇二六` → `2026`, `零五` → `05`. Undefined when the run is not a number we read (`十十`, `一百`).
 */
export function chineseNumeralToArabic(run: string): string | undefined {
  const tens = run.indexOf('十');
  if (tens === -1) {
    const digits = [...run].map((c) => DIGITS[c]);
    return digits.every((d) => d !== undefined) ? digits.join('') : undefined;
  }
  const head = run.slice(0, tens);
  const tail = run.slice(tens + 1);
  if (head.length > 1 || tail.length > 1) return undefined;
  const high = head === '' ? 1 : Number(DIGITS[head]);
  const low = tail === '' ? 0 : Number(DIGITS[tail]);
  if (!Number.isInteger(high) || !Number.isInteger(low) || high === 0) return undefined;
  return String(high * 10 + low);
}

/** Full-width digits and punctuation (`１２：３０`) to ASCII; Chinese numerals stay. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19：／－．\u3000]/g, (c) => {
    const code = c.charCodeAt(0);
    return code >= 0xff10 && code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 0x30) : (FULL_WIDTH[c] ?? c);
  });
}

/** Full-width digits and punctuation to ASCII, then Chinese numerals to Arabic digits. */
export function normaliseNumerals(text: string): string {
  return toHalfWidth(text).replace(NUMERAL_RUN, (run) => chineseNumeralToArabic(run) ?? run);
}

/**
 * Trims, and drops whitespace except a single space between two digits
 * (`12月5日 14:30` → `12月5日14:30`, but `2026-12-05 14:30` keeps its space so the day and hour stay apart).
 */
export function squeezeSpaces(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/(?<!\d) | (?!\d)/g, '');
}

const WRITTEN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1–999 in Chinese numerals for ordinals in descriptions: 3 → 三, 12 → 十二, 21 → 二十一, 105 → 一百零五. */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 10) return WRITTEN_DIGITS[n] ?? String(n);
  if (n < 100) {
    const [tens, units] = [Math.floor(n / 10), n % 10];
    return `${tens === 1 ? '' : WRITTEN_DIGITS[tens]}十${units === 0 ? '' : WRITTEN_DIGITS[units]}`;
  }
  const [hundreds, rest] = [Math.floor(n / 100), n % 100];
  if (rest === 0) return `${WRITTEN_DIGITS[hundreds]}百`;
  return `${WRITTEN_DIGITS[hundreds]}百${rest < 10 ? '零' : rest < 20 ? '一' : ''}${toChineseNumeral(rest)}`;
}
