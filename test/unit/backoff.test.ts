import { PlatformError } from '../../src/errors';
import { platformBackoff } from '../../src/queue/backoff';

describe('platform backoff', () => {
  it('should retry a throttled call after the time the platform named, with jitter', () => {
    const err = new PlatformError(false, 'feishu 99991400', 99991400, 2000);
    for (let i = 0; i < 50; i++) {
      const d = platformBackoff(7, 'platform', err);
      expect(d).toBeGreaterThanOrEqual(1600);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });

  it('should back off exponentially from 1 s for other failures, capped at 60 s', () => {
    const err = new PlatformError(false, 'HTTP 503');
    const mid = (n: number): number => {
      const xs = Array.from({ length: 200 }, () => platformBackoff(n, 'platform', err));
      return Math.max(...xs);
    };
    expect(mid(1)).toBeLessThanOrEqual(1200);
    expect(mid(3)).toBeGreaterThan(3200);
    expect(mid(3)).toBeLessThanOrEqual(4800);
    expect(mid(12)).toBeLessThanOrEqual(72_000);
    expect(platformBackoff(2, 'platform', new Error('ECONNRESET'))).toBeLessThanOrEqual(2400);
  });
});
