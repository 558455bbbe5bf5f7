import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inspect, isSha256, Refused, type BlobRefusal, type StoredBlob } from './inspect-stream';

export type { BlobRefusal, StoredBlob } from './inspect-stream';

/** The storage port: where attached files are written and read back (FsBlobStore here; S3BlobStore in s3-blob-store.ts). */
export interface BlobStore {
  /**
   * Stream `body` into the store, hashing it on the way: nothing is held whole in memory, and nothing is kept
   * when it is refused (the temporary file is removed).
   */
  put(name: string, body: Readable, maxBytes: number): Promise<StoredBlob | BlobRefusal>;
  /** The content of a stored file, streamed; throws when it is not there. */
  open(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
}

/** The filesystem store: `<dir>/<first two hex digits>/<sha256>`, written to a temporary file and renamed into place. */
export class FsBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(name: string, body: Readable, maxBytes: number): Promise<StoredBlob | BlobRefusal> {
    const tmpDir = path.join(this.dir, 'tmp');
    // A sender's stream that fails while the folder is made (a platform download cut) is this put's error, not an
    // unhandled 'error' event (https://nodejs.org/api/stream.html#event-error: no listener means the process throws).
    let early: unknown;
    const hold = (err: unknown): void => {
      early = err;
    };
    body.once('error', hold);
    try {
      await mkdir(tmpDir, { recursive: true });
    } finally {
      body.off('error', hold);
    }
    if (early) throw early;
    const tmp = path.join(tmpDir, randomUUID());
    const inspect = new Inspect(name, maxBytes);
    const out = createWriteStream(tmp);
    try {
      await pipeline(body, inspect, out);
    } catch (err) {
      // The file is opened asynchronously: removed only once the stream has closed, else an open finishing after the
      // unlink would leave it behind (https://nodejs.org/api/fs.html#class-fswritestream, event 'close').
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await unlink(tmp).catch(() => undefined);
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
    const blob = inspect.result();
    const { sha256 } = blob;
    const target = this.pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true });
    // Same content already kept: the copy just written goes; rename is atomic on one filesystem.
    if (await this.has(sha256)) await unlink(tmp);
    else await rename(tmp, target);
    return blob;
  }

  async open(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    await access(file);
    return createReadStream(file);
  }

  async has(sha256: string): Promise<boolean> {
    return access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }
}
