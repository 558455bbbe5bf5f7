import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { detectType, HEAD_BYTES, type FileType } from './file-types';

/** A file kept by its content: the same bytes are kept once, whoever sends them. */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly type: FileType;
}

/** Why a file was not kept: too large, or not of an accepted kind. */
export type BlobRefusal = { readonly refused: 'too-large'; readonly maxBytes: number } | { readonly refused: 'bad-type' } | { readonly refused: 'empty' };

/** The error an Inspect stream fails with when it refuses a file. */
export class Refused extends Error {
  constructor(readonly refusal: BlobRefusal) {
    super(refusal.refused);
  }
}

/**
 * Hashes and counts what flows through, checks the kind on the first HEAD_BYTES and stops the stream once it passes
 * `maxBytes`. The head is kept back until it is complete, so a refused file never reaches the store beyond it.
 * Shared by every BlobStore, so the refusals are the same whatever keeps the bytes.
 */
export class Inspect extends Transform {
  private readonly hash = createHash('sha256');
  /** Bytes seen so far. Not named `size` or `length`: lib-storage's Upload reads those as the body's total length. */
  private seen = 0;
  private type?: FileType;
  private head: Buffer[] = [];
  private headSize = 0;

  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) return done(new Refused({ refused: 'too-large', maxBytes: this.maxBytes }));
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

  /** The blob once the stream has ended without a refusal. */
  result(): StoredBlob {
    if (!this.type) throw new Error('stored without a type');
    return { sha256: this.hash.digest('hex'), size: this.seen, type: this.type };
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

/** Whether `sha256` is one (64 lowercase hex digits): checked before it names a file or an object key. */
export const isSha256 = (sha256: string): boolean => /^[0-9a-f]{64}$/.test(sha256);
