import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsBlobStore } from '../../src/store/files/blob-store';
import { blobStoreCases } from './blob-store-cases';

describe('FsBlobStore: content-addressed, streamed, nothing kept when refused', () => {
  let dir: string;
  let store: FsBlobStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-blobs-'));
    store = new FsBlobStore(dir);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  blobStoreCases({
    store: () => store,
    // `<dir>/<sha first 2>/<sha>`, and an empty `<dir>/tmp` (where a file is written before it is renamed into place).
    expectKeptOnly: async (shas) => {
      const prefixes = [...new Set(shas.map((s) => s.slice(0, 2)))];
      expect((await readdir(dir)).sort()).toEqual(['tmp', ...prefixes].sort());
      for (const prefix of prefixes) expect((await readdir(path.join(dir, prefix))).sort()).toEqual(shas.filter((s) => s.startsWith(prefix)).sort());
      expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    },
  });
});
