import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../src/store/files/blob-store';

export const MB = 1024 * 1024;

/** `total` bytes of a PDF, produced a chunk at a time (never whole in memory); `seed` varies the content. */
export function pdfStream(total: number, seed = 0, chunk = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(chunk, total - sent);
      const buf = Buffer.alloc(size, (sent + seed) % 251);
      if (sent === 0) buf.write('%PDF-1.7\n');
      sent += size;
      this.push(buf);
    },
  });
}

export async function digest(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of stream) hash.update(c as Buffer);
  return hash.digest('hex');
}

/** A store under test, as its suite's beforeEach left it. */
export interface BlobStoreUnderTest {
  readonly store: () => BlobStore;
  /** Asserts that the store keeps these contents (by sha256) and nothing else: no other blob, no temporary file. */
  readonly expectKeptOnly: (sha256s: readonly string[]) => Promise<void>;
}

const shaOf = (put: Awaited<ReturnType<BlobStore['put']>>): string => ('sha256' in put ? put.sha256 : '');

/**
 * What every BlobStore does (src/store/files/blob-store.ts `BlobStore`): content-addressed, streamed, nothing kept
 * when refused. Run inside a describe whose beforeEach makes a fresh store (test/store/blob-store.test.ts on disk,
 * test/store/s3-blob-store.test.ts on a local S3).
 */
export function blobStoreCases(t: BlobStoreUnderTest): void {
  it('should fail with the sender\'s error when its stream breaks half way (a platform download cut), leaving nothing', async () => {
    const broken = pdfStream(12 * MB);
    let sent = 0;
    broken.on('data', (c: Buffer) => {
      sent += c.length;
      if (sent > 7 * MB) broken.destroy(new Error('download cut'));
    });
    await expect(t.store().put('a.pdf', broken, 100 * MB)).rejects.toThrow('download cut');
    await t.expectKeptOnly([]);
  });

  it('should keep a file named by its sha256 and stream it back', async () => {
    const expected = await digest(pdfStream(300 * 1024));
    const put = await t.store().put('材料.pdf', pdfStream(300 * 1024), 20 * MB);
    expect(put).toEqual({ sha256: expected, size: 300 * 1024, type: { mime: 'application/pdf', label: 'PDF' } });
    await t.expectKeptOnly([expected]);
    expect(await t.store().has(expected)).toBe(true);
    expect(await digest(await t.store().open(expected))).toBe(expected);
  });

  it('should keep the same content once, whoever sends it and under whatever name', async () => {
    const store = t.store();
    const expected = await digest(pdfStream(6 * MB));
    const [a, b] = await Promise.all([store.put('a.pdf', pdfStream(6 * MB), 20 * MB), store.put('b.pdf', pdfStream(6 * MB), 20 * MB)]);
    const c = await store.put('c.pdf', pdfStream(6 * MB), 20 * MB);
    expect(a).toEqual({ sha256: expected, size: 6 * MB, type: { mime: 'application/pdf', label: 'PDF' } });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const other = await store.put('d.pdf', pdfStream(6 * MB, 7), 20 * MB);
    expect(other).not.toEqual(a);
    await t.expectKeptOnly([shaOf(a), shaOf(other)]);
    expect(await digest(await store.open(expected))).toBe(expected);
  });

  it('should say when a file is not there: has is false, open throws', async () => {
    const absent = 'ab'.repeat(32);
    expect(await t.store().has(absent)).toBe(false);
    await expect(t.store().open(absent)).rejects.toThrow();
    await expect(t.store().open('../../etc/passwd')).rejects.toThrow('not a sha256');
  });

  it.each([
    ['within the first part', 3 * MB, 2 * MB],
    ['after a part has gone up (multipart under way)', 14 * MB, 8 * MB],
  ])('should stop a stream past the limit %s and leave nothing behind', async (_what, total, limit) => {
    expect(await t.store().put('big.pdf', pdfStream(total), limit)).toEqual({ refused: 'too-large', maxBytes: limit });
    await t.expectKeptOnly([]);
  });

  it.each([
    ['a PDF named .docx', 'a.docx'],
    ['no extension', 'README'],
  ])('should refuse %s and leave nothing behind', async (_what, name) => {
    expect(await t.store().put(name, pdfStream(1000), MB)).toEqual({ refused: 'bad-type' });
    await t.expectKeptOnly([]);
  });

  it('should refuse an empty file and leave nothing behind', async () => {
    expect(await t.store().put('empty.txt', Readable.from([]), MB)).toEqual({ refused: 'empty' });
    await t.expectKeptOnly([]);
  });

}
