import { CircuitBreaker, type CircuitBreakerOptions } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { flushArguments } from '../src/shared/flush-arguments';

const settings = { now: 0, sharedWindow: 60_000, channel: 'bw:fleet', instance: 'a' };

/** The fleet's trip rules for a breaker: ARGV 9 (failureThreshold) and 11 (failure rate, '' = off). */
function fleetRules(options: CircuitBreakerOptions): { count: number; rate: string } {
  const breaker = new CircuitBreaker('api', { ...options, clock: new FakeClock() });
  const args = flushArguments(breaker, breaker.toRecord(), { successes: 0, failures: 1 }, settings);
  return { count: Number(args[8]), rate: args[10] ?? '' };
}

describe('fleet trip rules sent with each flush', () => {
  it('follow the count and rate rules of the breaker', () => {
    expect(fleetRules({ failureThreshold: 7 })).toEqual({ count: 7, rate: '' });
    expect(fleetRules({ failureRateThreshold: 0.3 })).toEqual({ count: 5, rate: '0.3' });
  });

  it('leave an adaptive breaker no count rule, only its ceiling (the learned rate stays local)', () => {
    const { count, rate } = fleetRules({ adaptive: { maxFailureRate: 0.6 } });
    expect(count).toBe(Number.MAX_SAFE_INTEGER);
    expect(rate).toBe('0.6');
    expect(fleetRules({ adaptive: {}, failureRateThreshold: 0.3 }).rate).toBe('0.3');
  });
});
