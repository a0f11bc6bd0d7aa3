// The trading API's circuit breaker: its unit tests — opens on failures,
// half-open recovery, metric calculations — on its default configuration (the
// `trading-default` preset), with the failure-rate and slow-call rules over a
// 60 s window.
import { CircuitBreaker, presets } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from '../support/calls';

function tradingBreaker() {
  const clock = new FakeClock();
  return {
    clock,
    breaker: new CircuitBreaker('solana-rpc', { ...presets['trading-default'], clock }),
  };
}

describe('trading API: default breaker', () => {
  it('opens on consecutive failures', async () => {
    const { breaker } = tradingBreaker();
    await callTimes(breaker, 5, fail());
    expect(breaker.state).toBe('open');
  });

  it('opens on a 50% failure rate once 10 calls are in the window', async () => {
    const { breaker } = tradingBreaker();
    for (let index = 0; index < 5; index++) {
      await callTimes(breaker, 1, succeed());
      await callTimes(breaker, 1, fail());
    }
    expect(breaker.state).toBe('open');
  });

  it('opens on a 50% slow-call rate (slower than 5 s)', async () => {
    const { clock, breaker } = tradingBreaker();
    for (let index = 0; index < 10; index++) {
      const duration = index % 2 === 0 ? 6_000 : 100;
      const call = breaker.execute(
        () => new Promise((resolve) => clock.setTimeout(() => resolve(index), duration)),
      );
      clock.advance(duration);
      await call;
    }
    expect(breaker.status()).toMatchObject({ state: 'open', slowCallRate: 0.5 });
  });

  it('recovers through half-open with up to 3 concurrent trial calls and 3 successes', async () => {
    const { clock, breaker } = tradingBreaker();
    await callTimes(breaker, 5, fail());
    clock.advance(30_000);
    const trials = [1, 2, 3].map((index) => breaker.execute(succeed(index)));
    const extra = breaker.execute(succeed(4)).catch(() => 'rejected');
    expect(await Promise.all(trials)).toEqual([1, 2, 3]);
    expect(await extra).toBe('rejected');
    expect(breaker.state).toBe('closed');
  });

  it('reopens for the same 30 s reset timeout after a failed trial: no backoff', async () => {
    const { clock, breaker } = tradingBreaker();
    await callTimes(breaker, 5, fail());
    clock.advance(30_000);
    await callTimes(breaker, 1, fail());
    expect(breaker.status()).toMatchObject({ state: 'open', recoveryIn: 30_000 });
  });

  it('calculates metrics: totals, rejected calls, failure and slow-call rates, transitions', async () => {
    const { clock, breaker } = tradingBreaker();
    await callTimes(breaker, 8, succeed());
    await callTimes(breaker, 2, fail());
    expect(breaker.status()).toMatchObject({ failureRate: 0.2, slowCallRate: 0, windowCalls: 10 });
    await callTimes(breaker, 3, fail());
    await callTimes(breaker, 4, succeed());
    expect(breaker.status()).toMatchObject({
      state: 'open',
      totalAttempts: 13,
      totalSuccesses: 8,
      totalFailures: 5,
      rejected: 4,
      transitions: 1,
    });
    clock.advance(60_000);
    expect(breaker.status()).toMatchObject({ windowCalls: 0, failureRate: 0 }); // a time window ages out
  });
});
