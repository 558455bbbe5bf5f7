import { loadConfig } from '../../src/config';
import { describeTarget, redisTarget } from '../../src/store/redis-target';
import { refusedLines } from '../helpers/config-lines';

/** Issue 16 item 2: REDIS_SENTINELS and REDIS_SENTINEL_NAME, checked by the one config schema. */
describe('config: Redis Sentinel', () => {
  it('should keep REDIS_URL as the target when no sentinels are set', () => {
    const c = loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.9:6380/2', REDIS_PASSWORD: '' });
    expect(c.REDIS_SENTINELS).toEqual([]);
    expect(redisTarget(c)).toBe('redis://:pw@10.0.0.9:6380/2');
    expect(describeTarget(redisTarget(c))).toBe('redis://:***@10.0.0.9:6380/2');
  });

  it('should read the sentinels (blanks and spaces dropped, IPv6 in brackets), the name and both passwords', () => {
    const c = loadConfig({
      REDIS_SENTINELS: ' 10.0.0.1:26379 , sentinel-b.example.cn:26380,,[::1]:26381 ',
      REDIS_SENTINEL_NAME: ' mymaster ',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_PASSWORD: 'data-secret',
    });
    expect(redisTarget(c)).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b.example.cn', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sentinel-secret',
      password: 'data-secret',
    });
    expect(describeTarget(redisTarget(c))).toBe('sentinel mymaster@10.0.0.1:26379,sentinel-b.example.cn:26380,[::1]:26381');
  });

  it('should ask for both or neither of REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    expect(refusedLines({ REDIS_SENTINELS: '10.0.0.1:26379' })).toEqual([expect.stringContaining('REDIS_SENTINELS / REDIS_SENTINEL_NAME: set both or neither')]);
    expect(refusedLines({ REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([expect.stringContaining('REDIS_SENTINELS / REDIS_SENTINEL_NAME: set both or neither')]);
    expect(refusedLines({ REDIS_SENTINEL_PASSWORD: 'sentinel-secret' })).toEqual([expect.stringContaining('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS')]);
  });

  it('should report one clear line per bad variable, passwords hidden', () => {
    const lines = refusedLines({ REDIS_SENTINELS: '10.0.0.1：26379,10.0.0.2:99999,10.0.0.3', REDIS_SENTINEL_NAME: 'my master', REDIS_PASSWORD: '   ' });
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('REDIS_SENTINELS:'))).toContain('must be host:port separated by commas');
    expect(lines.find((l) => l.includes('REDIS_SENTINEL_NAME:'))).toContain('"my master"');
    const password = lines.find((l) => l.includes('REDIS_PASSWORD:'));
    expect(password).toContain('***');
    expect(password).not.toContain('"   "');
  });

  it('should refuse a port that is not a number between 1 and 65535, and a full-width port', () => {
    for (const bad of ['10.0.0.1:0', '10.0.0.1:65536', '10.0.0.1:２６３７９', 'redis://10.0.0.1:26379', ':26379']) {
      expect(refusedLines({ REDIS_SENTINELS: bad, REDIS_SENTINEL_NAME: 'mymaster' }).join('\n')).toMatch(/REDIS_SENTINELS: must be host:port/);
    }
  });
});
