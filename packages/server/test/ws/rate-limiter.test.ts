import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/ws/rate-limiter';

function takeMany(limiter: RateLimiter, count: number) {
  return Array.from({ length: count }, () => limiter.take());
}

describe('RateLimiter', () => {
  it('allows the limit, rejects up to twice the limit, then says disconnect', () => {
    const limiter = new RateLimiter(3, () => 0);
    expect(takeMany(limiter, 7)).toEqual([
      'allow',
      'allow',
      'allow',
      'reject',
      'reject',
      'reject',
      'disconnect',
    ]);
  });

  it('starts a fresh budget once the minute has passed', () => {
    let now = 1_000;
    const limiter = new RateLimiter(2, () => now);
    expect(takeMany(limiter, 3)).toEqual(['allow', 'allow', 'reject']);
    now += 59_999;
    expect(limiter.take()).toBe('reject');
    now += 1;
    expect(takeMany(limiter, 3)).toEqual(['allow', 'allow', 'reject']);
  });
});
