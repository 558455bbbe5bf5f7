import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobStore } from './blob-store';
import { Inspect, isSha256, Refused, type BlobRefusal, type StoredBlob } from './inspect-stream';

/**
 * Files on S3-compatible storage (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode), content-addressed as FsBlobStore.
 *
 * Key layout, in the bucket:
 *   files/<sha256 first 2 hex>/<sha256>   a kept file (the same path as under <DATA_DIR>, so `aws s3 sync
 *                                         <DATA_DIR>/files s3://<bucket>/files --exclude 'tmp/*'` moves a filesystem store over)
 *   tmp/<uuid>                            an upload under way; removed once copied or refused
 *
 * The sha256 is known only when the last byte has passed, so the bytes are streamed to `tmp/<uuid>` (multipart, one
 * part of 5 MB in memory at a time) while they are hashed; then HeadObject on the final key: there already (the same
 * content sent before, by anyone) → the temporary object is deleted; else CopyObject to the final key (a server-side
 * copy: the bytes do not pass through the bot again), then the temporary object is deleted. Hashing first to a local
 * file and uploading after would need a local disk as large as the largest file and send each file twice through
 * the bot; the copy costs one request. Two puts of the same content at once both copy the same bytes to the same key.
 */
export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** e.g. http://minio:9000; absent for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO and most self-hosted stores). */
  readonly forcePathStyle: boolean;
}

/** The part size of the multipart upload: S3's minimum, so little is held in memory per file. */
const PART_BYTES = 5 * 1024 * 1024;

export function s3Client(options: S3BlobStoreOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    // Credentials: the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles).
    // Checksums only where an operation requires them: since 3.729 the SDK adds CRC32 trailers to every upload by
    // default, which many S3-compatible stores refuse (https://github.com/aws/aws-sdk-js-v3/issues/6810); the bot
    // hashes every file itself with sha256 anyway.
    // A store that does not answer fails the upload (the sender is told) rather than hold it; no idle timeout on
    // the sockets, which would cut a download that a slow reader holds back.
    requestHandler: { connectionTimeout: 10_000 },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * HeadObject's answer for a key that is not there: 404 NotFound, given s3:ListBucket on the bucket (without it, 403,
 * which stays an error here: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
const isNotFound = (err: unknown): boolean =>
  err instanceof Error && (err.name === 'NotFound' || err.name === 'NoSuchKey' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export class S3BlobStore implements BlobStore {
  private readonly bucket: string;

  constructor(
    private readonly client: S3Client,
    bucket: string,
  ) {
    this.bucket = bucket;
  }

  static keyOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error('not a sha256');
    return `files/${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(name: string, body: Readable, maxBytes: number): Promise<StoredBlob | BlobRefusal> {
    const tmp = `tmp/${randomUUID()}`;
    const inspect = new Inspect(name, maxBytes);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tmp, Body: inspect },
      queueSize: 1,
      partSize: PART_BYTES,
      leavePartsOnError: false, // a refused or failed upload is aborted: no parts left behind
    });
    const [piped, uploaded] = await Promise.allSettled([
      pipeline(body, inspect),
      // The store failing: the sender's stream stops too rather than wait for a reader that is gone.
      upload.done().catch((err: unknown) => {
        inspect.destroy(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }),
    ]);
    if (piped.status === 'rejected' || uploaded.status === 'rejected') {
      // Nothing kept: the temporary object, if the single-part upload got that far, goes.
      await this.delete(tmp).catch(() => undefined);
      if (piped.status === 'rejected' && piped.reason instanceof Refused) return piped.reason.refusal;
      // The sender's stream failing is the cause (the upload then fails with it); else the store's own error.
      throw piped.status === 'rejected' ? piped.reason : uploaded.status === 'rejected' ? uploaded.reason : new Error('upload failed');
    }
    const blob = inspect.result();
    try {
      const key = S3BlobStore.keyOf(blob.sha256);
      if (!(await this.exists(key))) {
        // One CopyObject takes up to 5 GB, well above FILE_MAX_MB's 1 GB ceiling.
        await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: `${this.bucket}/${tmp}` }));
      }
    } finally {
      await this.delete(tmp).catch(() => undefined);
    }
    return blob;
  }

  async open(sha256: string): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: S3BlobStore.keyOf(sha256) }));
    // In Node the body is the HTTP response itself (an IncomingMessage): streamed, never buffered here.
    if (!(out.Body instanceof Readable)) throw new Error(`no stream for ${sha256}`);
    return out.Body;
  }

  has(sha256: string): Promise<boolean> {
    return this.exists(S3BlobStore.keyOf(sha256));
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
