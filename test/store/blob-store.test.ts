import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FsBlobStore } from '../../src/store/files/blob-store';

const MB = 1024 * 1024;

/** `total` bytes of a PDF, produced a chunk at a time (never whole in memory). */
function pdfStream(total: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(chunk, total - sent);
      const buf = Buffer.alloc(size, sent % 251);
      if (sent === 0) buf.write('%PDF-1.7\n');
      sent += size;
      this.push(buf);
    },
  });
}

async function digest(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of stream) hash.update(c as Buffer);
  return hash.digest('hex');
}

describe('FsBlobStore: content-addressed, streamed, nothing kept when refused', () => {
  let dir: string;
  let store: FsBlobStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-blobs-'));
    store = new FsBlobStore(dir);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should keep the same content once, named by its sha256, and stream it back', async () => {
    const expected = await digest(pdfStream(5 * MB));
    const [a, b] = await Promise.all([store.put('a.pdf', pdfStream(5 * MB), 20 * MB), store.put('b.pdf', pdfStream(5 * MB), 20 * MB)]);
    expect(a).toEqual({ sha256: expected, size: 5 * MB, type: { mime: 'application/pdf', label: 'PDF' } });
    expect(b).toEqual(a);
    expect(await readdir(path.join(dir, expected.slice(0, 2)))).toEqual([expected]);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect(await digest(await store.open(expected))).toBe(expected);
  });

  it('should stop a stream past the limit and leave nothing behind', async () => {
    expect(await store.put('big.pdf', pdfStream(3 * MB), 2 * MB)).toEqual({ refused: 'too-large', maxBytes: 2 * MB });
    expect(await readdir(dir)).toEqual(['tmp']);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it.each([
    ['a PDF named .docx', 'a.docx'],
    ['no extension', 'README'],
  ])('should refuse %s', async (_what, name) => {
    expect(await store.put(name, pdfStream(1000), MB)).toEqual({ refused: 'bad-type' });
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('should refuse an empty file', async () => {
    expect(await store.put('empty.txt', Readable.from([]), MB)).toEqual({ refused: 'empty' });
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });
});
