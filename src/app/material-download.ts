import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Logger } from '../logger';
import type { FileSource } from '../platforms/file-port';
import type { BlobRefusal, BlobStore, StoredBlob } from '../store/files/blob-store';
import type { Material } from '../store/files/material-types';

/** Waits before the 2nd, 3rd and 4th try of a download. */
export const DOWNLOAD_RETRY_DELAYS_MS = [1000, 4000, 16000] as const;

/**
 * A file's content into the blob store (src/app/materials-service.ts). A download (FileSource) that fails is tried
 * again after each of the delays (backoff), then given up ('failed'); a stream handed over as it arrives fails at
 * once (its sender sees the error).
 */
export async function storeDownload(
  deps: { readonly blobs: BlobStore; readonly log: Logger; readonly delaysMs: readonly number[] },
  name: string,
  body: Readable | FileSource,
  maxBytes: number,
): Promise<StoredBlob | BlobRefusal | 'failed'> {
  if (typeof body !== 'function') return deps.blobs.put(name, body, maxBytes);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await deps.blobs.put(name, await body(), maxBytes);
    } catch (err) {
      const wait = deps.delaysMs[attempt];
      deps.log.warn({ err, attempt: attempt + 1 }, wait === undefined ? 'material download failed, given up' : 'material download failed, retrying');
      if (wait === undefined) return 'failed';
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * A new upload's id. One that came through a durable job (src/platforms/file-port.ts `delivery`) gets the same id each
 * time that job runs, so its material is added once (MaterialRepo.add).
 */
export function uploadId(delivery?: string): string {
  return delivery ? createHash('sha256').update(delivery).digest('hex').slice(0, 16) : randomBytes(8).toString('hex');
}

export function blobFields(blob: StoredBlob): Pick<Material, 'size' | 'type' | 'sha256'> {
  return { size: blob.size, type: blob.type.mime, sha256: blob.sha256 };
}
