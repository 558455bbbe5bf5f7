/** A local S3 for the tests: s3rver on a random port over a temporary directory, one bucket, its own credentials. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver's built-in account (https://github.com/jamhall/s3rver#supported-clients): it checks the signatures. */
export const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly dir: string;
  /** A client of its own, to look in the bucket from outside the bot. */
  readonly client: S3Client;
  /** The bot's environment for this bucket. */
  readonly env: Record<string, string>;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startLocalS3(bucket = 'luoshi-files'): Promise<LocalS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // The SDK's default credential chain reads the environment: the bot under test finds them there, as in production.
  Object.assign(process.env, S3RVER_KEYS);
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: S3RVER_KEYS.AWS_SECRET_ACCESS_KEY },
  });
  return {
    endpoint,
    bucket,
    dir,
    client,
    env: { FILES_S3_ENDPOINT: endpoint, FILES_S3_BUCKET: bucket, FILES_S3_REGION: 'us-east-1', FILES_S3_FORCE_PATH_STYLE: 'true' },
    keys: async () => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        out.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
        token = page.NextContinuationToken;
      } while (token);
      return out;
    },
    stop: async () => {
      client.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
