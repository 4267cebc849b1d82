import { backOffMs, collisionPauseMs, fitsDeadline, retryAfterFrom, retryAfterMs } from '../../src/resilience';

/**
 * Issue 16: Retry-After was read in four places (one understood HTTP dates, one took only positive seconds) and back-off
 * computed in three. These are the one reading and the one computation every retry loop uses.
 */
const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('Retry-After', () => {
  it.each([
    ['3', 3000],
    [3, 3000],
    ['0', 0],
    [' 2 ', 2000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('reads %p as %p ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms);
  });

  it.each([[null], [undefined], [''], ['soon'], ['-4']])('ignores %p', (value) => {
    expect(retryAfterMs(value, NOW)).toBeUndefined();
  });

  it('reads it from Fetch headers and from a plain record, whatever the case of the name', () => {
    expect(retryAfterFrom({ get: (name: string) => (name.toLowerCase() === 'retry-after' ? '4' : null) }, NOW)).toBe(4000);
    expect(retryAfterFrom({ 'Retry-After': '1' }, NOW)).toBe(1000);
    expect(retryAfterFrom({ 'retry-after': 2 }, NOW)).toBe(2000);
    expect(retryAfterFrom({ 'content-type': 'application/json' }, NOW)).toBeUndefined();
    expect(retryAfterFrom(undefined, NOW)).toBeUndefined();
  });
});

describe('back-off', () => {
  it('doubles per attempt from the base, half fixed and half random, and never above the cap', () => {
    expect([0, 1, 2, 3].map((a) => backOffMs(a, 500, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backOffMs(a, 500, () => 0.999999))).toEqual([0, 1, 2, 3].map((a) => expect.closeTo(500 * 2 ** a, 2) as number));
    expect(backOffMs(10, 500, () => 1, 10_000)).toBe(10_000);
    expect(backOffMs(-1, 500, () => 0)).toBe(250);
  });

  it('spreads writers that collided over a window that doubles up to its ceiling', () => {
    expect(collisionPauseMs(0, 40, () => 1)).toBe(1);
    expect(collisionPauseMs(3, 40, () => 0.5)).toBe(4);
    expect(collisionPauseMs(20, 40, () => 1)).toBe(40);
    expect(collisionPauseMs(20, 40, () => 0)).toBe(0);
  });

  it('starts no wait that would end past the deadline', () => {
    expect(fitsDeadline(1000, 500, undefined)).toBe(true);
    expect(fitsDeadline(1000, 500, 1501)).toBe(true);
    expect(fitsDeadline(1000, 500, 1500)).toBe(false);
  });
});
