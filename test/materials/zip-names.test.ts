import fc from 'fast-check';
import { FolderNames, relativeHref, safeName } from '../../src/http/reports/zip-names';

/*
 * Names in the ledger's ZIP must unpack on Windows and macOS (the rules in src/http/reports/zip-names.ts, after
 * https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file#naming-conventions). The ZIP test
 * (ledger-zip.test.ts) reads real names back; these cover the rules on the names a secretary might upload.
 */

const WINDOWS_FORBIDDEN = /[/\\:*?"<>|\p{Cc}]/u;

describe('safeName', () => {
  it('should replace what Windows forbids and trim what it drops', () => {
    expect(safeName('签到表:第1页?.pdf')).toBe('签到表_第1页_.pdf');
    expect(safeName('a/b\\c*d"e<f>g|h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeName('  会议 \t 照片.png. . ')).toBe('会议 照片.png');
    expect(safeName('..\\..\\evil')).toBe('_.._evil');
    expect(safeName('...')).toBe('未命名');
    expect(safeName('')).toBe('未命名');
  });

  it('should not give a reserved device name', () => {
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('nul.txt')).toBe('_nul.txt');
    expect(safeName('Com1.docx')).toBe('_Com1.docx');
    expect(safeName('CONTENT.txt')).toBe('CONTENT.txt');
  });

  it('should cap the length and keep the extension', () => {
    const long = `${'很长的文件名'.repeat(20)}.docx`;
    const safe = safeName(long, 60);
    expect(Array.from(safe)).toHaveLength(60);
    expect(safe.endsWith('….docx')).toBe(true);
  });

  it('should give the same name for the composed and decomposed spelling (macOS)', () => {
    expect(safeName('Cafe\u0301.txt')).toBe(safeName('Caf\u00e9.txt'));
  });

  it('should always give a non-empty name within the cap, with nothing Windows forbids', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 12, max: 120 }), (raw, max) => {
        const safe = safeName(raw, max);
        return safe.length > 0 && Array.from(safe).length <= max && !WINDOWS_FORBIDDEN.test(safe) && !/^[.\s]|[.\s]$/.test(safe) && safe !== '..';
      }),
    );
  });
});

describe('FolderNames', () => {
  it('should number a name taken before, ignoring case, before the extension', () => {
    const names = new FolderNames();
    expect(names.take('记录.html')).toBe('记录.html');
    expect(names.take('记录.html')).toBe('记录 (2).html');
    expect(names.take('Photo.PNG')).toBe('Photo.PNG');
    expect(names.take('photo.png')).toBe('photo (2).png');
    expect(names.take('签到表:1')).toBe('签到表_1');
    expect(names.take('签到表?1')).toBe('签到表_1 (2)');
  });

  it('should keep the number of a long name within the cap', () => {
    const names = new FolderNames(20);
    const long = `${'长'.repeat(40)}.pdf`;
    const first = names.take(long);
    const second = names.take(long);
    expect(second).not.toBe(first);
    expect(second.endsWith(' (2).pdf')).toBe(true);
    expect(Array.from(second).length).toBeLessThanOrEqual(20);
  });

  it('should never give the same name twice in a folder', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a.txt', 'A.TXT', 'a?.txt', 'a*.txt', 'con', 'CON', '', '.', 'x'.repeat(80)), { maxLength: 30 }), (raws) => {
        const names = new FolderNames(30);
        const given = raws.map((r) => names.take(r).toLowerCase());
        return new Set(given).size === given.length;
      }),
    );
  });
});

describe('relativeHref', () => {
  it('should percent-encode each segment, so # % and spaces stay part of a name', () => {
    expect(relativeHref('党课', '2026-03-12 党课 #7', '100% 完成.pdf')).toBe(`${encodeURIComponent('党课')}/${encodeURIComponent('2026-03-12 党课 #7')}/100%25%20${encodeURIComponent('完成')}.pdf`);
  });
});
