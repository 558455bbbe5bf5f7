/**
 * CSV for spreadsheets (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, fields quoted when
 * they hold a comma, quote or line break, and a UTF-8 byte order mark so that Excel reads Chinese correctly.
 */
export const UTF8_BOM = '\uFEFF';

/**
 * Formula injection (https://owasp.org/www-community/attacks/CSV_Injection): a cell starting with = + - @ or a
 * tab / carriage return would run as a formula in Excel or LibreOffice; a leading apostrophe makes it text.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string): string {
  const safe = neutralise(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, string>>[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => columns.map((c) => csvField(row[c] ?? '')).join(','))];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
