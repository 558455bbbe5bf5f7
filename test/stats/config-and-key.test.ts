import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../../src/config';
import { ReportLinks } from '../../src/http/reports/links';
import { SigningKeySource } from '../../src/http/reports/signing-key';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';

describe('report configuration', () => {
  it('should default the link days to 7 and the base URL to localhost on PORT', async () => {
    const c = loadConfig({ PORT: '3100' });
    expect([c.PUBLIC_BASE_URL, c.REPORT_SIGNING_KEY, c.REPORT_LINK_DAYS]).toEqual([undefined, undefined, 7]);
    const links = new ReportLinks(new SigningKeySource(new Redis({ lazyConnect: true }), 'unused', 'k'.repeat(32)), c);
    expect(links.baseUrl).toBe('http://localhost:3100');
    expect(links.days).toBe(7);
  });

  it('should trim the base URL and refuse a short signing key or a bad number of days', () => {
    const c = loadConfig({ PUBLIC_BASE_URL: 'https://luoshi.example.gov.cn/bot/', REPORT_LINK_DAYS: '30', REPORT_SIGNING_KEY: '' });
    expect([c.PUBLIC_BASE_URL, c.REPORT_LINK_DAYS, c.REPORT_SIGNING_KEY]).toEqual(['https://luoshi.example.gov.cn/bot', 30, undefined]);
    let error: unknown;
    try {
      loadConfig({ PUBLIC_BASE_URL: 'not a url', REPORT_SIGNING_KEY: 'short', REPORT_LINK_DAYS: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines;
    expect(lines.map((l) => l.trim().split(':')[0]).sort()).toEqual(['PUBLIC_BASE_URL', 'REPORT_LINK_DAYS', 'REPORT_SIGNING_KEY']);
    expect(lines.find((l) => l.includes('REPORT_SIGNING_KEY'))).toContain('***');
  });
});

describe('SigningKeySource', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);

  afterAll(async () => {
    await removePrefix(prefix);
    redis.disconnect();
  });

  it('should make one random 32-byte key in Redis that every process shares', async () => {
    const other = redis.duplicate();
    try {
      const [a, b] = await Promise.all([new SigningKeySource(redis, prefix).get(), new SigningKeySource(other, prefix).get()]);
      expect(a).toHaveLength(32);
      expect(a.equals(b)).toBe(true);
      expect(await redis.get(`${prefix}:reports:signing-key`)).toBe(a.toString('hex'));
      expect(await redis.ttl(`${prefix}:reports:signing-key`)).toBe(-1);
      expect((await new SigningKeySource(redis, prefix).get()).equals(a)).toBe(true);
    } finally {
      other.disconnect();
    }
  });

  it('should use REPORT_SIGNING_KEY when it is set, without touching Redis', async () => {
    const key = 's'.repeat(40);
    const fresh = uniquePrefix();
    expect((await new SigningKeySource(redis, fresh, key).get()).toString('utf8')).toBe(key);
    expect(await redis.exists(`${fresh}:reports:signing-key`)).toBe(0);
  });
});
