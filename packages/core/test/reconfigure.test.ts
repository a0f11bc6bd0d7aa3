import { CircuitBreaker, ConfigError } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from './support/calls';

describe('reconfigure', () => {
  it('changes a threshold at run time without losing counts or state', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 5, clock: new FakeClock() });
    await callTimes(breaker, 3, fail());
    await callTimes(breaker, 2, succeed());
    await callTimes(breaker, 2, fail());
    breaker.reconfigure({ failureThreshold: 3 });
    expect(breaker.status()).toMatchObject({
      failureCount: 2,
      totalFailures: 5,
      totalSuccesses: 2,
    });
    await callTimes(breaker, 1, fail());
    expect(breaker.state).toBe('open');
    expect(breaker.options.failureThreshold).toBe(3);
  });

  it('keeps the running open period and applies the new resetTimeout to the next one', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, resetTimeout: 10_000, clock });
    await callTimes(breaker, 1, fail());
    breaker.reconfigure({ resetTimeout: 1_000, backoffMultiplier: 1 });
    expect(breaker.status().recoveryIn).toBe(10_000);
    clock.advance(10_000);
    await callTimes(breaker, 1, fail());
    expect(breaker.status().recoveryIn).toBe(1_000);
  });

  it('rejects a bad value, naming it, and changes nothing', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 4, clock: new FakeClock() });
    await callTimes(breaker, 2, fail());
    expect(() => breaker.reconfigure({ failureThreshold: 2, resetTimeout: -1 })).toThrow(
      "Invalid option 'resetTimeout': -1",
    );
    expect(breaker.options.failureThreshold).toBe(4);
    expect(breaker.status().failureCount).toBe(2);
    expect(() => breaker.reconfigure({ clock: new FakeClock() })).toThrow(ConfigError);
  });

  it('merges changes into the options given so far', () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 4, resetTimeout: 2_000 });
    breaker.reconfigure({ successThreshold: 3 });
    breaker.reconfigure({ halfOpenMaxCalls: 2 });
    expect(breaker.options).toMatchObject({
      failureThreshold: 4,
      resetTimeout: 2_000,
      successThreshold: 3,
      halfOpenMaxCalls: 2,
    });
  });

  it('turns on a rate rule over a new window', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 100, clock: new FakeClock() });
    breaker.reconfigure({
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      slidingWindow: { type: 'count', size: 4 },
    });
    await callTimes(breaker, 2, succeed());
    await callTimes(breaker, 2, fail());
    expect(breaker.status()).toMatchObject({ state: 'open', windowCalls: 4 });
  });
});

describe('reconfigure and the short call path', () => {
  it('times calls out once a timeout is configured, and stops once it is removed', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock });
    await breaker.execute(async () => 'warm');
    breaker.reconfigure({ timeout: 100 });
    const hung = breaker.execute(() => new Promise(() => {})).catch((error: unknown) => error);
    clock.advance(100);
    expect(await hung).toMatchObject({ name: 'CallTimeoutError', timeout: 100 });
    breaker.reconfigure({ timeout: undefined });
    const slow = breaker.execute(async () => {
      clock.advance(1_000);
      return 'done';
    });
    expect(await slow).toBe('done');
  });

  it('judges results once isResultFailure is configured', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock(), failureThreshold: 1 });
    await breaker.execute(async () => 'ok');
    breaker.reconfigure({ isResultFailure: (result) => result === 'bad' });
    await breaker.execute(async () => 'bad');
    expect(breaker.state).toBe('open');
  });
});
