/**
 * Likely repeats of a new duty or series (issue 12): the same title in the same chat within a day of another duty,
 * or a second active series with the same title. The new one is created all the same; its reply names the others.
 */

/** Two duties whose times are at most this far apart are on the same day for this purpose. */
export const SIMILAR_WITHIN_MS = 24 * 3600 * 1000;

/** Titles compared as a person reads them: white space (ASCII and full-width) and letter case do not count. */
export function sameTitle(a: string, b: string): boolean {
  const norm = (t: string): string => t.replace(/[\s\u3000]+/g, '').toLowerCase();
  return norm(a) === norm(b);
}

/** Lines to append to a creation reply: `⚠️ 与 #8 同名同日；如是重复请「取消 #8」`; empty when none. */
export function similarNotice(duties: readonly { readonly number: number }[], series: readonly { readonly number: number }[] = []): string {
  const lines: string[] = [];
  if (duties.length > 0) {
    const numbers = duties.map((d) => `#${d.number}`);
    lines.push(`⚠️ 与 ${numbers.join('、')} 同名同日；如是重复请${numbers.map((n) => `「取消 ${n}」`).join('或')}`);
  }
  if (series.length > 0) {
    const names = series.map((s) => `系列${s.number}`);
    lines.push(`⚠️ 与 ${names.join('、')} 同名；如是重复请${names.map((n) => `「停止 ${n}」`).join('或')}`);
  }
  return lines.map((l) => `\n${l}`).join('');
}
