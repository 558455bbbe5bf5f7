import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore, s3Client } from '../../src/store/files/s3-blob-store';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3';

const MB = 1024 * 1024;

/** `total` bytes of a PDF, produced a chunk at a time (never whole in memory); `seed` varies the content. */
function pdfStream(total: number, seed = 0, chunk = 64 * 1024): Readable {
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

async function digest(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of stream) hash.update(c as Buffer);
  return hash.digest('hex');
}

describe('S3BlobStore against a local S3 (s3rver): content-addressed, streamed, nothing kept when refused', () => {
  let s3: LocalS3;
  let client: S3Client;
  let store: S3BlobStore;

  beforeEach(async () => {
    s3 = await startLocalS3();
    client = s3Client({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true });
    store = new S3BlobStore(client, s3.bucket);
  });

  afterEach(async () => {
    client.destroy();
    await s3.stop();
  });

  it('should keep a file under files/<sha first 2>/<sha> and stream it back', async () => {
    const expected = await digest(pdfStream(300 * 1024));
    const put = await store.put('材料.pdf', pdfStream(300 * 1024), 20 * MB);
    expect(put).toEqual({ sha256: expected, size: 300 * 1024, type: { mime: 'application/pdf', label: 'PDF' } });
    expect(await s3.keys()).toEqual([`files/${expected.slice(0, 2)}/${expected}`]);
    expect(await store.has(expected)).toBe(true);
    expect(await digest(await store.open(expected))).toBe(expected);
  });

  it('should keep the same content once, whoever sends it and under whatever name', async () => {
    const [a, b] = await Promise.all([store.put('a.pdf', pdfStream(6 * MB), 20 * MB), store.put('b.pdf', pdfStream(6 * MB), 20 * MB)]);
    const c = await store.put('c.pdf', pdfStream(6 * MB), 20 * MB);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const other = await store.put('d.pdf', pdfStream(6 * MB, 7), 20 * MB);
    expect(other).not.toEqual(a);
    const keys = await s3.keys();
    expect(keys.sort()).toEqual(['sha256' in a ? a.sha256 : '', 'sha256' in other ? other.sha256 : ''].map((s) => `files/${s.slice(0, 2)}/${s}`).sort());
  });

  it('should say when a file is not there: has is false, open throws', async () => {
    const absent = 'ab'.repeat(32);
    expect(await store.has(absent)).toBe(false);
    await expect(store.open(absent)).rejects.toThrow();
    await expect(store.open('../../etc/passwd')).rejects.toThrow('not a sha256');
  });

  it.each([
    ['within the first part', 3 * MB, 2 * MB],
    ['after a part has gone up (multipart under way)', 14 * MB, 8 * MB],
  ])('should stop a stream past the limit %s and leave nothing in the bucket', async (_what, total, limit) => {
    expect(await store.put('big.pdf', pdfStream(total), limit)).toEqual({ refused: 'too-large', maxBytes: limit });
    expect(await s3.keys()).toEqual([]);
  });

  it.each([
    ['a PDF named .docx', 'a.docx'],
    ['no extension', 'README'],
  ])('should refuse %s and leave nothing in the bucket', async (_what, name) => {
    expect(await store.put(name, pdfStream(1000), MB)).toEqual({ refused: 'bad-type' });
    expect(await s3.keys()).toEqual([]);
  });

  it('should refuse an empty file and leave nothing in the bucket', async () => {
    expect(await store.put('empty.txt', Readable.from([]), MB)).toEqual({ refused: 'empty' });
    expect(await s3.keys()).toEqual([]);
  });

  it('should fail with the sender\'s error when its stream breaks half way (a platform download cut), leaving nothing', async () => {
    const broken = pdfStream(12 * MB);
    let sent = 0;
    broken.on('data', (c: Buffer) => {
      sent += c.length;
      if (sent > 7 * MB) broken.destroy(new Error('download cut'));
    });
    await expect(store.put('a.pdf', broken, 100 * MB)).rejects.toThrow('download cut');
    expect(await s3.keys()).toEqual([]);
  });

  it('should fail, not hang, when the store is gone, and stop reading the sender', async () => {
    await s3.stop();
    const body = pdfStream(50 * MB);
    await expect(store.put('a.pdf', body, 100 * MB)).rejects.toThrow();
    expect(body.destroyed).toBe(true);
    s3 = await startLocalS3(); // for afterEach
  });

  it('should stream 200 MB in and out with bounded memory', async () => {
    // 200 MB (the issue asks for 100 at least): held whole it would show as 200 MB or more, well above the bounds
    // below, while the process RSS of a busy machine (the local S3 runs in this process too) varies by tens of MB.
    const total = 200 * MB;
    // V8's heap and the memory outside it (Buffers: `external` includes `arrayBuffers`).
    const used = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = used(base);
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, used(m));
    }, 5);
    try {
      const put = await store.put('big.pdf', pdfStream(total, 3), 300 * MB);
      expect(put).toMatchObject({ size: total });
      const sha = 'sha256' in put ? put.sha256 : '';
      expect(await digest(await store.open(sha))).toBe(sha);
    } finally {
      clearInterval(sample);
    }
    // The whole file would be 200 MB at least; a part (5 MB) in flight, the local S3's own buffers and the GC's slack are not.
    if (process.env.S3_MEMORY_LOG) process.stderr.write(`rss +${((peakRss - base.rss) / MB).toFixed(1)} MB, heap+external +${((peakHeap - used(base)) / MB).toFixed(1)} MB\n`);
    expect((peakRss - base.rss) / MB).toBeLessThan(120);
    expect((peakHeap - used(base)) / MB).toBeLessThan(60);
  }, 180_000);
});
