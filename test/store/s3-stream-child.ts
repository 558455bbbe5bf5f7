/**
 * Streams one large file through S3BlobStore (put, then open and hash) in a process of its own, and prints its memory:
 * the bounded-memory case of test/store/s3-blob-store.test.ts. A process of its own so that what is measured is the
 * store's streaming alone: not the local S3 (it runs in the test's process), not jest's heap, and with no forced GC.
 * The peak is the kernel's own high-water mark of the resident set (`resourceUsage().maxRSS`,
 * https://nodejs.org/api/process.html#processresourceusage), so no sample can miss it.
 * Usage: node --import tsx test/store/s3-stream-child.ts <endpoint> <bucket> <megabytes>; prints one JSON line.
 */
import { S3BlobStore, s3Client } from '../../src/store/files/s3-blob-store';
import { digest, MB, pdfStream } from './blob-store-cases';

async function main(): Promise<void> {
  const [endpoint, bucket, megabytes] = process.argv.slice(2);
  if (!endpoint || !bucket || !megabytes) throw new Error('usage: s3-stream-child.ts <endpoint> <bucket> <megabytes>');
  const total = Number(megabytes) * MB;
  const client = s3Client({ bucket, endpoint, region: 'us-east-1', forcePathStyle: true });
  const store = new S3BlobStore(client, bucket);
  // Warm-up: every module loaded and every code path run once (one multipart upload of two parts, read back), so the
  // base below holds the code, and what grows after it is the big file's data in flight.
  const warm = await store.put('warm.pdf', pdfStream(6 * MB, 7), 300 * MB);
  if (!('sha256' in warm)) throw new Error('warm-up upload refused');
  await digest(await store.open(warm.sha256));
  const baseRss = process.memoryUsage().rss;
  const baseMaxRss = process.resourceUsage().maxRSS * 1024;
  const put = await store.put('big.pdf', pdfStream(total, 3), 300 * MB);
  if ('refused' in put) throw new Error(`upload refused: ${put.refused}`);
  const readBack = await digest(await store.open(put.sha256));
  client.destroy();
  process.stdout.write(`${JSON.stringify({ size: put.size, sha256: put.sha256, readBack, baseRss, baseMaxRss, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
