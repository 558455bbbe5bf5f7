import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore, s3Client } from '../../src/store/files/s3-blob-store';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3';
import { blobStoreCases, digest, MB, pdfStream } from './blob-store-cases';

/**
 * V8's full garbage collection, without starting jest with --expose-gc: the flag set at run time makes `gc` a global
 * of every context created after it (https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
 */
function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc not exposed');
  return gc as () => void;
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

  blobStoreCases({
    store: () => store,
    // Keys `files/<sha first 2>/<sha>`: a refused or broken upload leaves no object.
    expectKeptOnly: async (shas) => {
      expect((await s3.keys()).sort()).toEqual(shas.map((s) => `files/${s.slice(0, 2)}/${s}`).sort());
    },
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
    // V8's heap and the memory outside it (Buffers: `external` includes `arrayBuffers`), live only: a full GC before
    // each sample. Without it the peak counts Buffers already dropped but not yet collected, which on a busy machine
    // (CI, 2 cores shared with other suites) reached 149 MB while the process RSS stayed within bounds; a file held
    // whole stays live through the upload and would show as 200 MB or more here all the same.
    const gc = forceGc();
    const used = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;
    gc();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = used(base);
    const sample = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      gc();
      peakHeap = Math.max(peakHeap, used(process.memoryUsage()));
    }, 250);
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
