/** Reads a ZIP back with yauzl (an independent reader, not the library that wrote it) for the ledger ZIP tests. */
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';

export interface ZipFile {
  readonly name: string;
  /** General purpose bit 11: the name is UTF-8 (APPNOTE.TXT 4.4.4, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT). */
  readonly utf8: boolean;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly bytes: Buffer;
}

/** Every file entry of a ZIP, in order, each read whole (test files are small); yauzl checks each CRC-32. */
export function readZip(zip: Buffer): Promise<ZipFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, file) => {
      if (err) return reject(err);
      const out: ZipFile[] = [];
      file.on('error', reject);
      file.on('end', () => resolve(out));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ name: entry.fileName, utf8: (entry.generalPurposeBitFlag & 0x800) !== 0, method: entry.compressionMethod, bytes: Buffer.concat(chunks) });
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The href values of an HTML page, entities undone. */
export const hrefsOf = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));

/** A relative href from the entry `from`, resolved to an entry name (percent-decoded). */
export function resolveIn(from: string, href: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of href.split('/').map(decodeURIComponent)) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}
