import { csvCell, neutralise, toCsv } from '../../src/http/reports/csv';
import { esc } from '../../src/http/reports/html';
import { canonicalPath, signedPath, verifyParams } from '../../src/http/reports/signing';

const KEY = Buffer.alloc(32, 7);
const P = { chatKey: 'sandbox:branch-1', from: 1790784000, to: 1798732799, exp: 1800000000 };
const NOW = 1799000000_000;

const query = (path: string): Record<string, string> => Object.fromEntries(new URL(`http://x${path}`).searchParams);

describe('report link signatures', () => {
  it('should sign the canonical path and query and accept it until it expires', () => {
    expect(canonicalPath(P)).toBe('/reports/sandbox%3Abranch-1?from=1790784000&to=1798732799&exp=1800000000');
    const path = signedPath(KEY, P);
    expect(path).toMatch(/^\/reports\/sandbox%3Abranch-1\?from=1790784000&to=1798732799&exp=1800000000&sig=[A-Za-z0-9_-]{43}$/);
    expect(verifyParams(KEY, 'sandbox:branch-1', query(path), NOW)).toEqual({ ok: true, params: P });
    expect(verifyParams(KEY, 'sandbox:branch-1', query(path), P.exp * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('should refuse any change of chat, period, expiry or signature, and another key', () => {
    const q = query(signedPath(KEY, P));
    const sig = q.sig ?? '';
    expect(verifyParams(KEY, 'sandbox:branch-2', q, NOW).ok).toBe(false);
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, to: String(P.to + 1) }, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, from: String(P.from - 86400) }, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, exp: String(P.exp + 86400) }, NOW)).toEqual({ ok: false, reason: 'signature' });
    // the last character carries 2 unused bits: other spellings of the same bytes are refused too
    for (const c of 'AEIQgw') {
      if (c !== sig[42]) expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, sig: sig.slice(0, 42) + c }, NOW).ok).toBe(false);
    }
    expect(verifyParams(Buffer.alloc(32, 8), 'sandbox:branch-1', q, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('should refuse malformed parameters before computing anything', () => {
    const q = query(signedPath(KEY, P));
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, sig: undefined }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, from: ['1', '2'] }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyParams(KEY, 'sandbox:branch-1', { ...q, to: '-1' }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyParams(KEY, 'mars:branch-1', q, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyParams(KEY, 'sandbox:branch-1', undefined, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('CSV', () => {
  it('should neutralise cells that a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+86 10', '-2', '@SUM(A1)', '\tx', 'a=b', '王建国', ''].map(neutralise)).toEqual(["'=1+1", "'+86 10", "'-2", "'@SUM(A1)", "'\tx", 'a=b', '王建国', '']);
  });

  it('should quote commas, quotes and line breaks and start with a BOM', () => {
    expect(csvCell('出差, 外地')).toBe('"出差, 外地"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("http://x","点我")')).toBe('"\'=HYPERLINK(""http://x"",""点我"")"');
    expect(toCsv(['成员', '原因'], [['李明', '第一行\n第二行']])).toBe('\uFEFF成员,原因\r\n李明,"第一行\n第二行"\r\n');
  });
});

describe('HTML escaping', () => {
  it('should escape markup and quotes', () => {
    expect(esc(`<script>alert('x')</script> & "q"`)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;');
  });
});
