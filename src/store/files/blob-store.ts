import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { detectType, HEAD_BYTES, type FileType } from './file-types';

/** A file kept by its content: the same bytes are kept once, whoever sends them. */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly type: FileType;
}

/** Why a file was not kept: too large, or not of an accepted kind. */
export type BlobRefusal = { readonly refused: 'too-large'; readonly maxBytes: number } | { readonly refused: 'bad-type' } | { readonly refused: 'empty' };

/** The storage port: where attached files are written and read back (a filesystem here; object storage could follow). */
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

class Refused extends Error {
  constructor(readonly refusal: BlobRefusal) {
    super(refusal.refused);
  }
}

/**
 * Hashes and counts what flows through, checks the kind on the first HEAD_BYTES and stops the stream once it passes
 * `maxBytes`. The head is kept back until it is complete, so a refused file never reaches the disk beyond it.
 */
class Inspect extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  type?: FileType;
  private head: Buffer[] = [];
  private headSize = 0;

  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new Refused({ refused: 'too-large', maxBytes: this.maxBytes }));
    this.hash.update(chunk);
    if (this.type) return done(null, chunk);
    this.head.push(chunk);
    this.headSize += chunk.length;
    if (this.headSize < HEAD_BYTES) return done();
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.type) return done();
    this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    if (head.length === 0) return done(new Refused({ refused: 'empty' }));
    this.type = detectType(this.name, head.subarray(0, HEAD_BYTES));
    if (!this.type) return done(new Refused({ refused: 'bad-type' }));
    done(null, head);
  }
}

/** The filesystem store: `<dir>/<first two hex digits>/<sha256>`, written to a temporary file and renamed into place. */
export class FsBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(name: string, body: Readable, maxBytes: number): Promise<StoredBlob | BlobRefusal> {
    const tmpDir = path.join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const inspect = new Inspect(name, maxBytes);
    try {
      await pipeline(body, inspect, createWriteStream(tmp));
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
    const sha256 = inspect.hash.digest('hex');
    const target = this.pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true });
    // Same content already kept: the copy just written goes; rename is atomic on one filesystem.
    if (await this.has(sha256)) await unlink(tmp);
    else await rename(tmp, target);
    if (!inspect.type) throw new Error('stored without a type');
    return { sha256, size: inspect.size, type: inspect.type };
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
