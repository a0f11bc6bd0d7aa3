import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from './support/calls';

// A closed breaker's untimed successes and its attempts are only counted on
// the call path and added to the totals, the counts and the window when
// something needs them. Nothing outside may tell the difference.
describe('counts the call path adds later', () => {
  const breaker = (options = {}) =>
    new CircuitBreaker('svc', { clock: new FakeClock(), failureThreshold: 3, ...options });

  it('shows every success and attempt in status and record, however many calls', async () => {
    const subject = breaker();
    await callTimes(subject, 1_000, succeed());
    expect(subject.status()).toMatchObject({
      totalAttempts: 1_000,
      totalSuccesses: 1_000,
      successes: 1_000,
      windowCalls: 100,
      failureRate: 0,
    });
    expect(subject.toRecord().totals).toMatchObject({ attempts: 1_000, successes: 1_000 });
  });

  it('counts a call in flight as an attempt before it settles', async () => {
    const subject = breaker();
    await callTimes(subject, 70, succeed());
    let release = (): void => {};
    const pending = subject.execute(() => new Promise<void>((resolve) => (release = resolve)));
    expect(subject.status()).toMatchObject({ totalAttempts: 71, totalSuccesses: 70 });
    release();
    await pending;
    expect(subject.status()).toMatchObject({ totalAttempts: 71, totalSuccesses: 71 });
  });

  it('resets the failures in a row at each success, in the order the calls ended', async () => {
    const subject = breaker();
    for (let round = 0; round < 50; round++) {
      await callTimes(subject, 2, fail());
      await callTimes(subject, 7, succeed());
    }
    expect(subject.state).toBe('closed');
    await callTimes(subject, 2, fail());
    expect(subject.status()).toMatchObject({ failures: 2, totalFailures: 102 });
    await callTimes(subject, 1, fail());
    expect(subject.state).toBe('open');
    // The last 100 calls: the 7 successes ending round 40, rounds 41–50 (20 failures), the 3 failures.
    expect(subject.status()).toMatchObject({ windowCalls: 100, failureRate: 0.23 });
  });

  it('tells a success listener subscribed between calls of every later success', async () => {
    const subject = breaker();
    await callTimes(subject, 10, succeed());
    const durations: unknown[] = [];
    subject.on('success', (event) => durations.push(event.duration));
    await callTimes(subject, 100, succeed());
    expect(durations).toHaveLength(100);
    expect(subject.status().totalSuccesses).toBe(110);
  });

  it('keeps exact totals across reconfigure, reset and a trip', async () => {
    const subject = breaker({ latencySampling: 16 });
    await callTimes(subject, 37, succeed());
    subject.reconfigure({ latencySampling: 5 });
    await callTimes(subject, 41, succeed());
    subject.reset();
    await callTimes(subject, 3, succeed());
    await callTimes(subject, 3, fail());
    expect(subject.state).toBe('open');
    expect(subject.status()).toMatchObject({
      totalAttempts: 84,
      totalSuccesses: 81,
      totalFailures: 3,
      successes: 0,
    });
  });
});
