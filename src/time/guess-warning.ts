/** The warning shown with an answer that rests on a year whose holiday arrangement is not published. */
export function guessWarning(years: Iterable<number>): string | undefined {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return `${sorted.join('、')}年的节假日安排尚未公布，按周一至周五推算（已计入法定节日，未计调休）`;
}
