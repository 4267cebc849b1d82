import { formatTime, formatUtc } from '../../src/views/format';
import { TEST_NOW } from '../helpers/test-clock';

describe('times in the configured time zone', () => {
  const at = TEST_NOW.toISOString();
  it.each([
    ['UTC', '2026-11-18 12:00 UTC'],
    ['Europe/London', '2026-11-18 12:00 (Europe/London)'],
    ['Europe/Berlin', '2026-11-18 13:00 (Europe/Berlin)'],
    ['America/New_York', '2026-11-18 07:00 (America/New_York)'],
    ['Asia/Kolkata', '2026-11-18 17:30 (Asia/Kolkata)'],
  ])('%s: the pinned test time reads %s, the zone always named', (zone, expected) => {
    expect(TEST_NOW.toISOString()).toBe('2026-11-18T12:00:00.000Z');
    expect(formatTime(at, zone)).toBe(expected);
  });

  it('follows summer time and the date line: London in July is an hour ahead of UTC; Auckland is already on the next day', () => {
    expect(formatTime('2026-07-01T23:30:00Z', 'Europe/London')).toBe('2026-07-02 00:30 (Europe/London)');
    expect(formatTime('2026-11-18T12:00:00Z', 'Pacific/Auckland')).toBe('2026-11-19 01:00 (Pacific/Auckland)');
  });

  it('an absent or unreadable time is "unknown", never "Invalid Date"', () => {
    expect(formatTime(undefined, 'Europe/Berlin')).toBe('unknown');
    expect(formatTime('not a time', 'Europe/Berlin')).toBe('unknown');
    expect(formatUtc('2026-11-18T12:00:00Z')).toBe(formatTime('2026-11-18T12:00:00Z', 'UTC'));
  });
});
