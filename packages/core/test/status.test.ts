import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from './support/calls';

class RpcError extends Error {
  override name = 'RpcError';
}

describe('status()', () => {
  it('starts with every field present and JSON-safe', () => {
    const clock = new FakeClock();
    const status = new CircuitBreaker('svc', { clock }).status();
    expect(status).toMatchObject({
      name: 'svc',
      state: 'closed',
      details: 'Operating normally',
      failureCount: 0,
      successes: 0,
      lastFailure: null,
      lastError: null,
      recoveryAttempts: 0,
      lastRecoveryAttempt: null,
      failedRecoveries: 0,
      currentResetTimeout: 30_000,
      openUntil: null,
      recoveryIn: null,
      totalAttempts: 0,
      totalSuccesses: 0,
      totalFailures: 0,
      totalIgnored: 0,
      rejected: 0,
      timeouts: 0,
      halfOpenInFlight: 0,
      timeInCurrentState: 0,
      failureRate: 0,
      slowCallRate: 0,
      windowCalls: 0,
      latency: { p50: null, p95: null, p99: null, samples: 0 },
      failuresByError: {},
      transitions: 0,
      timeInState: { closed: 0, open: 0, 'half-open': 0, 'forced-open': 0, disabled: 0 },
      recoverySuccessRate: null,
    });
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it('reports an open circuit: last failure, timing, totals and errors by name', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 30));
    const breaker = new CircuitBreaker('solana-rpc', {
      failureThreshold: 3,
      resetTimeout: 10_000,
      clock,
    });
    await callTimes(breaker, 4, succeed());
    await callTimes(breaker, 2, fail());
    clock.advance(1_000);
    await callTimes(breaker, 1, () => Promise.reject(new RpcError('node down')));
    clock.advance(4_000);
    await callTimes(breaker, 2, succeed());
    const status = breaker.status();
    expect(status).toMatchObject({
      state: 'open',
      failureCount: 3,
      lastFailure: '2026-01-05T09:30:01.000Z',
      lastError: { name: 'RpcError', message: 'node down' },
      totalAttempts: 7,
      totalSuccesses: 4,
      totalFailures: 3,
      rejected: 2,
      recoveryIn: 6_000,
      openUntil: '2026-01-05T09:30:11.000Z',
      timeInCurrentState: 4_000,
      failuresByError: { Error: 2, RpcError: 1 },
      transitions: 1,
      timeInState: { closed: 1_000, open: 4_000 },
      failureRate: 3 / 7,
    });
    expect(status.details).toBe('Open: rejecting calls; recovery trial in 6000 ms');
  });

  it('still fills the deprecated aliases status, failures and lastFailureTime with their replacements', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 30));
    const breaker = new CircuitBreaker('svc', { failureThreshold: 2, clock });
    const aliases = () => {
      const status = breaker.status();
      expect(status.status).toBe(status.state);
      expect(status.failures).toBe(status.failureCount);
      expect(status.lastFailureTime).toBe(
        status.lastFailure === null ? null : Date.parse(status.lastFailure),
      );
      return [status.status, status.failures, status.lastFailureTime];
    };
    expect(aliases()).toEqual(['closed', 0, null]);
    await callTimes(breaker, 1, fail());
    clock.advance(1_000);
    await callTimes(breaker, 1, fail());
    expect(aliases()).toEqual(['open', 2, Date.UTC(2026, 0, 5, 9, 30, 1)]);
  });

  it('computes latency percentiles from the histogram of timed calls', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, latencySampling: 1 });
    const after = (ms: number) => () =>
      new Promise((resolve) => clock.setTimeout(() => resolve(ms), ms));
    for (let index = 0; index < 100; index++) {
      const call = breaker.execute(after(index < 90 ? 10 : 200));
      clock.advance(index < 90 ? 10 : 200);
      await call;
    }
    const { latency } = breaker.status();
    expect(latency.samples).toBe(100);
    // Fixed buckets: each reading lies within 19% of the true duration.
    expect(latency.p50).toBeGreaterThan(10 * 0.81);
    expect(latency.p50).toBeLessThan(10 * 1.19);
    expect(latency.p95).toBeGreaterThan(200 * 0.81);
    expect(latency.p99).toBeLessThan(200 * 1.19);
  });

  it('times one call in latencySampling', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock(), latencySampling: 4 });
    await callTimes(breaker, 16, succeed());
    expect(breaker.status().latency.samples).toBe(4);
  });

  it('tracks time per state and the transition count across a recovery', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 1,
      resetTimeout: 2_000,
      successThreshold: 1,
      clock,
    });
    clock.advance(500);
    await callTimes(breaker, 1, fail());
    clock.advance(2_000);
    await callTimes(breaker, 1, succeed());
    clock.advance(300);
    expect(breaker.status()).toMatchObject({
      state: 'closed',
      transitions: 3,
      timeInState: { closed: 800, open: 2_000, 'half-open': 0 },
      timeInCurrentState: 300,
      recoverySuccessRate: 1,
    });
  });

  it('describes half-open progress in details', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, successThreshold: 3, clock });
    await callTimes(breaker, 1, fail());
    clock.advance(30_000);
    await callTimes(breaker, 1, succeed());
    expect(breaker.status()).toMatchObject({
      state: 'half-open',
      successes: 1,
      details: 'Half-open: testing recovery (1/3 successful trials)',
    });
  });
});

describe('latencyDistribution()', () => {
  it('gives cumulative counts at the bounds, the sample count and the sum, for exporters', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, latencySampling: 1 });
    for (const ms of [1, 3, 40]) {
      const call = breaker.execute(
        () => new Promise((resolve) => clock.setTimeout(() => resolve(ms), ms)),
      );
      clock.advance(ms);
      await call;
    }
    expect(breaker.latencyDistribution([2, 10, 50, 100])).toEqual({
      counts: [1, 2, 3, 3],
      samples: 3,
      sumMs: 44,
    });
    expect(new CircuitBreaker('idle').latencyDistribution([1])).toEqual({
      counts: [0],
      samples: 0,
      sumMs: 0,
    });
  });
});

describe('windows and latency that grow with what they hold', () => {
  it('keeps the rates of exactly the last slidingWindow.size calls once the ring has grown', async () => {
    const breaker = new CircuitBreaker('svc', {
      clock: new FakeClock(),
      slidingWindow: { type: 'count', size: 100 },
      failureThreshold: 1_000,
    });
    for (let call = 0; call < 250; call++) {
      const failing = call < 200 ? call % 5 === 0 : call % 2 === 0;
      await breaker
        .execute(() => (failing ? Promise.reject(new Error('x')) : 'ok'))
        .catch(() => {});
      if (call === 9) expect(breaker.status()).toMatchObject({ windowCalls: 10, failureRate: 0.2 });
    }
    // Calls 150–199 hold 10 failures, calls 200–249 hold 25.
    expect(breaker.status()).toMatchObject({ windowCalls: 100, failureRate: 0.35 });
  });

  it('reports percentiles across fast and very slow calls', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, latencySampling: 1 });
    const durations = [...Array(90).fill(1), ...Array(9).fill(100), 60_000];
    for (const duration of durations) {
      await breaker.execute(async () => {
        clock.advance(duration);
      });
    }
    const { p50, p95, p99, samples } = breaker.status().latency;
    expect(samples).toBe(100);
    expect(p50).toBeGreaterThan(0.8);
    expect(p50).toBeLessThan(1.2);
    expect(p95).toBeGreaterThan(80);
    expect(p95).toBeLessThan(120);
    expect(p99).toBeGreaterThan(80);
    expect(p99).toBeLessThan(120);
    expect(breaker.latencyDistribution([2, 200, 100_000]).counts).toEqual([90, 99, 100]);
  });
});
