import { describe, expect, it } from 'vitest';
import { formatCountdown, formatRelativeTime } from '../app/format/time-format';

describe('formatCountdown', () => {
  it.each([
    [29_001, '30 s'],
    [30_000, '30 s'],
    [1, '1 s'],
    [59_999, '1 min 00 s'],
    [65_000, '1 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [3_780_000, '1 h 03 min'],
  ])('shows %i ms as %s (rounded up to the second)', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it('says now once the time has come, or for a value that is not a time', () => {
    expect(formatCountdown(0)).toBe('now');
    expect(formatCountdown(-2500)).toBe('now');
    expect(formatCountdown(Number.NaN)).toBe('now');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);

  it.each([
    [0, 'just now'],
    [4_999, 'just now'],
    [5_000, '5 seconds ago'],
    [59_000, '59 seconds ago'],
    [60_000, '1 minute ago'],
    [150_000, '2 minutes ago'],
    [3_600_000, '1 hour ago'],
    [5 * 3_600_000 + 59 * 60_000, '5 hours ago'],
    [86_400_000, 'yesterday'],
    [3 * 86_400_000, '3 days ago'],
  ])('shows a time %i ms ago as %s', (ago, text) => {
    expect(formatRelativeTime(now - ago, now)).toBe(text);
  });

  it('says just now for a time ahead of the page clock (the monitor may run ahead)', () => {
    expect(formatRelativeTime(now + 30_000, now)).toBe('just now');
  });
});
