import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../config';
import { FsBlobStore, type BlobRefusal, type BlobStore, type StoredBlob } from './blob-store';
import type { S3BlobStoreOptions } from './s3-blob-store';

/** Where attached files go: the S3 bucket when FILES_S3_BUCKET is set, else `<DATA_DIR>/files`. */
export function blobStore(config: Config): BlobStore {
  const bucket = config.FILES_S3_BUCKET;
  if (!bucket) return new FsBlobStore(path.join(config.DATA_DIR, 'files'));
  return new DeferredS3BlobStore({
    bucket,
    region: config.FILES_S3_REGION,
    forcePathStyle: config.FILES_S3_FORCE_PATH_STYLE,
    ...(config.FILES_S3_ENDPOINT ? { endpoint: config.FILES_S3_ENDPOINT } : {}),
  });
}

/**
 * The S3 store, its module loaded on first use: it brings the AWS SDK (`@aws-sdk/client-s3` and `lib-storage`), about
 * 20 MB that a process without FILES_S3_BUCKET never uses (as the platforms' SDKs: src/platforms/feishu/load.ts).
 * test/e2e/platform-modules.test.ts checks both ways in a bot started as `npm start` starts it.
 */
class DeferredS3BlobStore implements BlobStore {
  private loaded?: Promise<BlobStore>;

  constructor(private readonly options: S3BlobStoreOptions) {}

  private store(): Promise<BlobStore> {
    this.loaded ??= import('./s3-blob-store').then(({ S3BlobStore, s3Client }) => new S3BlobStore(s3Client(this.options), this.options.bucket));
    return this.loaded;
  }

  async put(name: string, body: Readable, maxBytes: number): Promise<StoredBlob | BlobRefusal> {
    // A module that cannot load fails the upload, and stops reading the sender, as a store that fails does.
    const store = await this.store().catch((err: unknown) => {
      body.destroy();
      throw err;
    });
    return store.put(name, body, maxBytes);
  }

  async open(sha256: string): Promise<Readable> {
    return (await this.store()).open(sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.store()).has(sha256);
  }
}
