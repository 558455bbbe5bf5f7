import { loadConfig } from '../../src/config';
import { refusedLines } from '../helpers/config-lines';

/** Issue 16 item 3: the FILES_S3_* keys. */
describe('config: files on S3-compatible storage', () => {
  it('should keep files on disk by default', () => {
    const c = loadConfig({});
    expect(c.FILES_S3_BUCKET).toBeUndefined();
    expect(c.FILES_S3_ENDPOINT).toBeUndefined();
    expect(c).toMatchObject({ FILES_S3_REGION: 'us-east-1', FILES_S3_FORCE_PATH_STYLE: false });
  });

  it('should read a bucket, an endpoint, a region and path-style addressing', () => {
    const c = loadConfig({ FILES_S3_BUCKET: 'luoshi-files', FILES_S3_ENDPOINT: 'http://minio:9000', FILES_S3_REGION: 'cn-north-1', FILES_S3_FORCE_PATH_STYLE: 'true' });
    expect(c).toMatchObject({ FILES_S3_BUCKET: 'luoshi-files', FILES_S3_ENDPOINT: 'http://minio:9000', FILES_S3_REGION: 'cn-north-1', FILES_S3_FORCE_PATH_STYLE: true });
  });

  it('should treat empty values as unset', () => {
    const c = loadConfig({ FILES_S3_BUCKET: '', FILES_S3_ENDPOINT: '' });
    expect(c.FILES_S3_BUCKET).toBeUndefined();
    expect(c.FILES_S3_ENDPOINT).toBeUndefined();
  });

  it.each([
    [{ FILES_S3_BUCKET: 'b', FILES_S3_ENDPOINT: 'minio:9000' }, 'FILES_S3_ENDPOINT'],
    [{ FILES_S3_BUCKET: 'b', FILES_S3_FORCE_PATH_STYLE: 'yes' }, 'FILES_S3_FORCE_PATH_STYLE'],
    [{ FILES_S3_ENDPOINT: 'http://minio:9000' }, 'FILES_S3_BUCKET: needed with FILES_S3_ENDPOINT'],
  ])('should stop start-up on %j', (env, line) => {
    const lines = refusedLines(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });
});
