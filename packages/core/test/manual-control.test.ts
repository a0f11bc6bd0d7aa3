import { CircuitBreaker, isCircuitOpenError, type StateChangeEvent } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, outcome, succeed } from './support/calls';

function setup() {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('svc', { failureThreshold: 2, resetTimeout: 1_000, clock });
  const transitions: StateChangeEvent[] = [];
  breaker.on('stateChange', (event) => transitions.push(event));
  return { clock, breaker, transitions };
}

describe('manual control', () => {
  it('forceOpen rejects every call with retryAfter undefined until released', async () => {
    const { clock, breaker, transitions } = setup();
    breaker.forceOpen();
    clock.advance(1_000_000);
    const error = await outcome(breaker.execute(succeed()));
    expect(isCircuitOpenError(error) && [error.state, error.retryAfter]).toEqual([
      'forced-open',
      undefined,
    ]);
    breaker.release();
    expect(await breaker.execute(succeed())).toBe('ok');
    expect(transitions.map((event) => [event.to, event.reason])).toEqual([
      ['forced-open', 'manual'],
      ['closed', 'manual'],
    ]);
  });

  it('disable lets every call through, never trips, and still records outcomes', async () => {
    const { breaker } = setup();
    breaker.disable();
    await callTimes(breaker, 10, fail());
    expect(breaker.state).toBe('disabled');
    expect(breaker.status()).toMatchObject({ totalFailures: 10, failureRate: 1 });
    breaker.release();
    expect(breaker.state).toBe('closed');
  });

  it('reset closes an open circuit and forgets failures, attempts and backoff', async () => {
    const { clock, breaker } = setup();
    await callTimes(breaker, 2, fail());
    clock.advance(1_000);
    await callTimes(breaker, 1, fail());
    expect(breaker.status()).toMatchObject({
      state: 'open',
      recoveryAttempts: 1,
      failedRecoveries: 1,
    });
    breaker.reset();
    expect(breaker.status()).toMatchObject({
      state: 'closed',
      failureCount: 0,
      recoveryAttempts: 0,
      failedRecoveries: 0,
      totalFailures: 3,
    });
    await callTimes(breaker, 2, fail());
    expect(breaker.status().recoveryIn).toBe(1_000);
  });

  it('reset on a closed circuit clears its failure count without a transition', async () => {
    const { breaker, transitions } = setup();
    await callTimes(breaker, 1, fail());
    breaker.reset();
    expect(breaker.status().failureCount).toBe(0);
    expect(transitions).toEqual([]);
  });

  it('release does nothing unless forced open or disabled', async () => {
    const { breaker, transitions } = setup();
    await callTimes(breaker, 2, fail());
    breaker.release();
    expect(breaker.state).toBe('open');
    expect(transitions).toHaveLength(1);
  });

  it('forceOpen and disable twice emit one transition each', () => {
    const { breaker, transitions } = setup();
    breaker.forceOpen();
    breaker.forceOpen();
    breaker.disable();
    breaker.disable();
    expect(transitions.map((event) => event.to)).toEqual(['forced-open', 'disabled']);
  });
});
