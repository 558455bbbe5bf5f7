import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore, s3Client } from '../../src/store/files/s3-blob-store';
import { z } from 'zod';
import { S3RVER_KEYS, startLocalS3, type LocalS3 } from '../helpers/local-s3';
import { blobStoreCases, digest, MB, pdfStream } from './blob-store-cases';

const run = promisify(execFile);

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
    // 200 MB (the issue asks for 100 at least) through the store in a process of its own (test/store/s3-stream-child.ts):
    // the local S3 stays here, so the child's memory is the store's alone, and its peak is the kernel's high-water mark
    // of the resident set, so no sampling can miss it and no forced GC is needed (forcing one every 250 ms in a
    // jest worker with a large heap starved the stream: a 180 s timeout in CI).
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, 's3-stream-child.ts'), s3.endpoint, s3.bucket, '200'], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, ...S3RVER_KEYS },
      timeout: 150_000,
    });
    const out = z.object({ size: z.number(), sha256: z.string(), readBack: z.string(), baseRss: z.number(), baseMaxRss: z.number(), maxRss: z.number() }).parse(JSON.parse(stdout.trim()));
    expect(out.size).toBe(200 * MB);
    expect(out.readBack).toBe(out.sha256);
    expect(await digest(pdfStream(200 * MB, 3))).toBe(out.sha256);
    // Held whole, the file alone would lift the peak by 200 MB; a part (5 MB) in flight and the GC's slack do not.
    const growth = (out.maxRss - Math.max(out.baseRss, 0)) / MB;
    if (process.env.S3_MEMORY_LOG) process.stderr.write(`base rss ${(out.baseRss / MB).toFixed(1)} MB (peak so far ${(out.baseMaxRss / MB).toFixed(1)}), peak ${(out.maxRss / MB).toFixed(1)} MB: +${growth.toFixed(1)} MB\n`);
    expect(growth).toBeLessThan(80);
  }, 180_000);
});
