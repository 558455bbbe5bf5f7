/**
 * Names inside the ledger's ZIP, safe to unpack on Windows and macOS:
 * - none of / \ : * ? " < > | nor control characters (Windows forbids them in a name, and / and \ would make
 *   folders: https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file#naming-conventions);
 * - no leading dot (hidden on macOS, and never `..`), no trailing dot or space (Windows drops them), no reserved
 *   device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with or without an extension);
 * - at most `max` characters, the extension kept, so a whole path stays well under Windows' 260;
 * - NFC (macOS stores names decomposed: two spellings of one name must count as the same), and a name already
 *   taken in its folder (compared without case, as both systems do) gets ` (2)`, ` (3)` … before its extension.
 */

/** Forbidden characters and the control characters (Unicode category Cc). */
const FORBIDDEN = /[/\\:*?"<>|\p{Cc}]/gu;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** An extension worth keeping apart when a name is shortened: a dot, then 1–10 letters or digits. */
const EXTENSION = /\.[A-Za-z0-9]{1,10}$/;

const chars = (s: string): string[] => Array.from(s);

/** One name (a file's or a folder's), made safe; never empty. */
export function safeName(raw: string, max = 60): string {
  let name = raw.normalize('NFC').replace(/\s+/g, ' ').replace(FORBIDDEN, '_').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (name === '') name = '未命名';
  if (RESERVED.test(name)) name = `_${name}`;
  return shorten(name, max);
}

/** Cut a name to `max` characters, keeping its extension; the cut part ends with … */
function shorten(name: string, max: number): string {
  if (chars(name).length <= max) return name;
  const ext = EXTENSION.exec(name)?.[0] ?? '';
  const stem = chars(name.slice(0, name.length - ext.length));
  return `${stem
    .slice(0, Math.max(1, max - chars(ext).length - 1))
    .join('')
    .replace(/[.\s]+$/, '')}…${ext}`;
}

/** The names given out in one folder: each new one safe and different from those before it. */
export class FolderNames {
  private readonly taken = new Set<string>();

  constructor(private readonly max = 60) {}

  /** A safe, unused name for `raw`; numbered ` (2)` … when the safe form is taken. */
  take(raw: string): string {
    const base = safeName(raw, this.max);
    const ext = EXTENSION.exec(base)?.[0] ?? '';
    const stem = chars(base.slice(0, base.length - ext.length));
    let name = base;
    for (let n = 2; this.taken.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      name = `${stem.slice(0, this.max - suffix.length - chars(ext).length).join('')}${suffix}${ext}`;
    }
    this.taken.add(name.toLowerCase());
    return name;
  }
}

/** A relative link to a path inside the ZIP, each segment percent-encoded (names may hold # % and spaces). */
export const relativeHref = (...segments: readonly string[]): string => segments.map((s) => encodeURIComponent(s)).join('/');
