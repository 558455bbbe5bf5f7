/**
 * CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake), CRLF line ends,
 * RFC 4180 quoting, and no formulas: a cell that starts with = + - @ (or a tab or carriage return) gets a leading
 * apostrophe, so a reason like `=HYPERLINK(…)` stays text (OWASP, CSV injection).
 */
export const BOM = '\uFEFF';

export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string): string {
  const safe = neutralise(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
