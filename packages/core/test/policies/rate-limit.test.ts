import {
  isRateLimitedError,
  RateLimitedError,
  type RateLimitOptions,
  type RateLimitPolicy,
  rateLimit,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { outcome } from '../support/calls';
import { expectConfigError } from '../support/config-errors';

/** Fires `count` calls at once; returns how many ran and the errors of the others. */
async function fire(policy: RateLimitPolicy, count: number) {
  let ran = 0;
  const errors: unknown[] = [];
  for (let index = 0; index < count; index++) {
    const result = await outcome(policy.execute(() => ++ran));
    if (typeof result !== 'number') errors.push(result);
  }
  return { ran, errors };
}

describe('rate limit', () => {
  it('admits a burst of `burst` calls back to back, then rejects without running the call', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 10, burst: 3, clock });
    const { ran, errors } = await fire(policy, 5);
    expect(ran).toBe(3);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(RateLimitedError);
  });

  it('starts with a full bucket of `rate` tokens by default', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 5, clock });
    expect(policy.options).toMatchObject({ rate: 5, interval: 1_000, burst: 5 });
    expect((await fire(policy, 8)).ran).toBe(5);
  });

  it('refills continuously at rate per interval', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 10, interval: 1_000, burst: 10, clock });
    await fire(policy, 10);
    clock.advance(250); // 10 tokens per second: 2.5 tokens
    expect((await fire(policy, 5)).ran).toBe(2);
    clock.advance(50); // the half token left plus 0.5
    expect((await fire(policy, 5)).ran).toBe(1);
    expect(policy.tokens).toBe(0);
  });

  it('never holds more than `burst` tokens, however long it sat idle', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 100, interval: 60_000, burst: 4, clock });
    await fire(policy, 4);
    clock.advance(3_600_000);
    expect(policy.tokens).toBe(4);
    expect((await fire(policy, 10)).ran).toBe(4);
  });

  it('gives retryAfter as the ms until the next token', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 10, interval: 1_000, burst: 1, clock });
    await fire(policy, 1);
    const { errors } = await fire(policy, 1);
    expect(isRateLimitedError(errors[0]) && errors[0].retryAfter).toBe(100);
    clock.advance(40);
    const later = await outcome(policy.execute(() => 'x'));
    expect(isRateLimitedError(later) && later.retryAfter).toBeCloseTo(60, 9);
    clock.advance(60);
    expect(await policy.execute(() => 'admitted after retryAfter')).toBe(
      'admitted after retryAfter',
    );
  });

  it('does not take a token for a rejected call', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 1, interval: 1_000, clock });
    await fire(policy, 1);
    await fire(policy, 20);
    clock.advance(1_000);
    expect((await fire(policy, 2)).ran).toBe(1);
  });

  it('handles a rate below one call per interval', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 0.5, interval: 1_000, clock });
    expect(policy.options.burst).toBe(1);
    await fire(policy, 1);
    const { errors } = await fire(policy, 1);
    expect(isRateLimitedError(errors[0]) && errors[0].retryAfter).toBe(2_000);
    clock.advance(2_000);
    expect((await fire(policy, 2)).ran).toBe(1);
  });

  it('takes a token for a call that fails, and rethrows its error', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 1, clock });
    const boom = new Error('boom');
    expect(await outcome(policy.execute(() => Promise.reject(boom)))).toBe(boom);
    expect(await outcome(policy.execute(() => 'x'))).toBeInstanceOf(RateLimitedError);
  });

  it("passes the caller's signal to the operation and skips an already aborted call", async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 1, clock });
    expect(
      await outcome(policy.execute(() => 'x', { signal: AbortSignal.abort('cancelled') })),
    ).toBe('cancelled');
    const controller = new AbortController();
    expect(await policy.execute((signal) => signal, { signal: controller.signal })).toBe(
      controller.signal,
    );
  });

  it('owns no timer', async () => {
    const clock = new FakeClock();
    const policy = rateLimit({ rate: 1, clock });
    await fire(policy, 3);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('rate limit options', () => {
  const badValues: Array<[string, unknown, unknown]> = [
    ['rate', undefined, {}],
    ['rate', 0, { rate: 0 }],
    ['rate', -5, { rate: -5 }],
    ['rate', Number.POSITIVE_INFINITY, { rate: Number.POSITIVE_INFINITY }],
    ['interval', 0, { rate: 1, interval: 0 }],
    ['interval', '1s', { rate: 1, interval: '1s' }],
    ['burst', 0.5, { rate: 1, burst: 0.5 }],
    ['clock', Date, { rate: 1, clock: Date }],
    ['perSecond', 10, { rate: 1, perSecond: 10 }],
    ['options', 'fast', 'fast'],
  ];

  it.each(badValues)(
    'rejects a bad %s (%s), naming the option and the value',
    (option, value, options) =>
      expectConfigError(() => rateLimit(options as RateLimitOptions), option, value),
  );
});
