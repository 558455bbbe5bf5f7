/** The longest piece of a person's own text that a reply quotes back. */
export const QUOTE_MAX = 30;

/**
 * A person's text quoted in a reply, cut to `max` characters with an ellipsis: a pasted page or a 5,000-character
 * title must not come back as a 5,000-character answer. Counts code points, so a cut never splits a character.
 */
export function quote(text: string, max = QUOTE_MAX): string {
  const chars = [...text.trim()];
  return `「${chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('')}」`;
}
