/**
 * What a secretary types, made uniform before it is read: full-width letters, digits, `＃` and `＠` (Chinese input
 * methods type them) become ASCII and the ideographic space a space. Chinese punctuation stays: the readers know it.
 */
export function toAsciiWidth(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ＃＠＋\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Separators between the parts of a free sentence. `、` is not one: it lists (每周一、三、五, #21、#22). */
export const SEPARATOR = /[\s,，。；;！!？?：:]/;

/** Separators at the ends of a piece of text, and quotes around a title. */
export function trimPunctuation(text: string): string {
  return text.replace(/^[\s,，。；;！!？?：:、]+|[\s,，。；;！!？?：:、]+$/g, '');
}
