/** The pure rules of 述职评议 (src/domain/rating.ts) and the seal (src/app/rating-seal.ts). */
import { RatingSeal } from '../../src/app/rating-seal';
import { checkOpen, defaultClose, results, resultsText, type Rating } from '../../src/domain/rating';
import { packagedCalendar } from '../../src/time/calendar';

const TZ = 'Asia/Shanghai';
const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

describe('述职评议 rules', () => {
  it.each([
    ['a Friday morning: the Wednesday after', '2026-11-27T10:00', '2026-12-02T18:00'],
    ['a Monday evening: Thursday', '2026-11-30T20:00', '2026-12-03T18:00'],
    ['a Sunday: Wednesday', '2026-11-29T10:00', '2026-12-02T18:00'],
  ])('should close by default at 18:00 on the third working day after %s', (_what, now, close) => {
    expect(defaultClose(at(now), packagedCalendar(), TZ)).toBe(at(close));
  });

  it('should skip days off (国庆 2026: 10月1日–7日) and count a make-up working Saturday (10月10日)', () => {
    expect(defaultClose(at('2026-09-30T10:00'), packagedCalendar(), TZ)).toBe(at('2026-10-10T18:00'));
  });

  const duty = { kind: 'report' as const, state: 'scheduled' as const, organizer: { id: 'u1', name: '王建国' }, at: at('2026-11-27T15:00') };
  it.each([
    ['a meeting', { ...duty, kind: 'meeting' as const }, 'u1', '2026-11-27T16:00', 'not-report'],
    ['a cancelled report', { ...duty, state: 'cancelled' as const }, 'u1', '2026-11-27T16:00', 'cancelled'],
    ['someone else', duty, 'u2', '2026-11-27T16:00', 'not-organizer'],
    ['before the deadline', duty, 'u1', '2026-11-27T14:59', 'before-deadline'],
    ['the organizer after the deadline', duty, 'u1', '2026-11-27T15:00', undefined],
  ])('should answer %s', (_what, d, by, now, expected) => {
    expect(checkOpen(d, by, at(now), at('2026-11-30T18:00'))).toBe(expected);
  });

  it('should refuse a close already past', () => {
    expect(checkOpen(duty, 'u1', at('2026-11-27T16:00'), at('2026-11-27T16:00'))).toBe('deadline-past');
  });

  it('should count the 好 + 较好 share of those who rated', () => {
    const rating: Rating = { dutyId: 'd1', chat: { platform: 'sandbox', chatId: 'c' }, number: 3, title: '述职', organizer: { id: 'u1', name: '王建国' }, openedAt: 0, closesAt: 10, audience: ['a', 'b', 'c', 'd', 'e'] };
    const r = results(rating, { good: 2, fair: 1, average: 0, poor: 1 }, 4, 10);
    expect(r).toMatchObject({ rated: 4, of: 5, positiveShare: 0.75, closed: true });
    expect(resultsText(r)).toContain('好 + 较好：75%');
    expect(resultsText(results(rating, { good: 0, fair: 0, average: 0, poor: 0 }, 0, 5))).toContain('好 + 较好：—（无人评议）');
  });
});

describe('the rating seal', () => {
  const seal = new RatingSeal(Buffer.from('a-test-secret-of-at-least-32-characters', 'utf8'));

  it('should open only for the duty and member it was made for', () => {
    const s = seal.seal('duty1', 'u3', { choice: 'poor', version: 2 });
    expect(seal.open('duty1', 'u3', s)).toEqual({ choice: 'poor', version: 2 });
    expect(seal.open('duty1', 'u4', s)).toBeUndefined();
    expect(seal.open('duty2', 'u3', s)).toBeUndefined();
    expect(new RatingSeal(Buffer.from('another-secret-of-at-least-32-characters', 'utf8')).open('duty1', 'u3', s)).toBeUndefined();
  });

  it('should refuse an altered seal and make two seals of one choice look unrelated', () => {
    const s = seal.seal('duty1', 'u3', { choice: 'good', version: 1 });
    const raw = Buffer.from(s, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(seal.open('duty1', 'u3', raw.toString('base64url'))).toBeUndefined();
    expect(seal.open('duty1', 'u3', 'short')).toBeUndefined();
    expect(seal.seal('duty1', 'u3', { choice: 'good', version: 1 })).not.toBe(s);
    expect(s).not.toMatch(/good|好/);
  });
});
