import path from 'node:path';
import type { Config } from '../../config';
import { FsBlobStore, type BlobStore } from './blob-store';
import { S3BlobStore, s3Client } from './s3-blob-store';

/** Where attached files go: the S3 bucket when FILES_S3_BUCKET is set, else `<DATA_DIR>/files`. */
export function blobStore(config: Config): BlobStore {
  const bucket = config.FILES_S3_BUCKET;
  if (!bucket) return new FsBlobStore(path.join(config.DATA_DIR, 'files'));
  const options = {
    bucket,
    region: config.FILES_S3_REGION,
    forcePathStyle: config.FILES_S3_FORCE_PATH_STYLE,
    ...(config.FILES_S3_ENDPOINT ? { endpoint: config.FILES_S3_ENDPOINT } : {}),
  };
  return new S3BlobStore(s3Client(options), bucket);
}
