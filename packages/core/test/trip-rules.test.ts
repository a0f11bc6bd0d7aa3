import { CircuitBreaker, type SlidingWindowOptions, type StateChangeEvent } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from './support/calls';

function recordTransitions(breaker: CircuitBreaker): StateChangeEvent[] {
  const events: StateChangeEvent[] = [];
  breaker.on('stateChange', (event) => events.push(event));
  return events;
}

describe('consecutive failures', () => {
  it('opens when failureThreshold failures come in a row', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 3, clock: new FakeClock() });
    const events = recordTransitions(breaker);
    await callTimes(breaker, 2, fail());
    expect(breaker.state).toBe('closed');
    await callTimes(breaker, 1, fail());
    expect(breaker.state).toBe('open');
    expect(events).toMatchObject([{ from: 'closed', to: 'open', reason: 'consecutive-failures' }]);
  });

  it('starts counting again after a success', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 3, clock: new FakeClock() });
    await callTimes(breaker, 2, fail());
    await callTimes(breaker, 1, succeed());
    await callTimes(breaker, 2, fail());
    expect(breaker.state).toBe('closed');
    expect(breaker.status().failureCount).toBe(2);
  });
});

describe('failures counted inside monitoringWindow', () => {
  it('opens on failureThreshold failures in the window even with successes between them', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 3,
      monitoringWindow: 60_000,
      clock,
    });
    const events = recordTransitions(breaker);
    for (let round = 0; round < 3; round++) {
      await callTimes(breaker, 1, fail());
      await callTimes(breaker, 2, succeed());
      clock.advance(10_000);
    }
    expect(breaker.state).toBe('open');
    expect(events[0]?.reason).toBe('failure-count-in-window');
  });

  it('no longer counts failures older than the window', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 3,
      monitoringWindow: 60_000,
      clock,
    });
    await callTimes(breaker, 2, fail());
    clock.advance(60_000);
    expect(breaker.status().failureCount).toBe(0);
    await callTimes(breaker, 2, fail());
    expect(breaker.state).toBe('closed');
    expect(breaker.status().failureCount).toBe(2);
  });
});

const windows: Array<[string, SlidingWindowOptions]> = [
  ['count', { type: 'count', size: 10 }],
  ['time', { type: 'time', size: 10_000 }],
];

describe.each(windows)('rate rules over a %s window', (_kind, slidingWindow) => {
  it('opens when the failure rate reaches failureRateThreshold', async () => {
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 100,
      failureRateThreshold: 0.5,
      minimumCalls: 10,
      slidingWindow,
      clock: new FakeClock(),
    });
    const events = recordTransitions(breaker);
    for (let index = 0; index < 4; index++) {
      await callTimes(breaker, 1, succeed());
      await callTimes(breaker, 1, fail());
    }
    await callTimes(breaker, 1, succeed());
    expect(breaker.state).toBe('closed'); // 9 calls: below minimumCalls
    await callTimes(breaker, 1, fail()); // 10 calls, 5 failures: 50%
    expect(breaker.state).toBe('open');
    expect(events[0]?.reason).toBe('failure-rate');
  });

  it('stays closed below the failure rate threshold', async () => {
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 100,
      failureRateThreshold: 0.5,
      minimumCalls: 10,
      slidingWindow,
      clock: new FakeClock(),
    });
    for (let index = 0; index < 20; index++) {
      await callTimes(breaker, 1, index % 3 === 0 ? fail() : succeed());
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.status().failureRate).toBeLessThan(0.5);
  });

  it('does not evaluate rates before minimumCalls calls', async () => {
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 100,
      failureRateThreshold: 0.1,
      minimumCalls: 10,
      slidingWindow,
      clock: new FakeClock(),
    });
    await callTimes(breaker, 9, fail());
    expect(breaker.state).toBe('closed');
    expect(breaker.status().failureRate).toBe(1);
  });

  it('opens when the slow-call rate reaches slowCallRateThreshold', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      slowCallRateThreshold: 0.5,
      slowCallDuration: 1_000,
      minimumCalls: 4,
      slidingWindow,
      clock,
    });
    const events = recordTransitions(breaker);
    const slow = () =>
      new Promise<string>((resolve) => clock.setTimeout(() => resolve('late'), 1_500));
    await callTimes(breaker, 2, succeed());
    const first = breaker.execute(slow);
    clock.advance(1_500);
    await first;
    expect(breaker.state).toBe('closed');
    const second = breaker.execute(slow);
    clock.advance(1_500);
    await second;
    expect(breaker.state).toBe('open');
    expect(events[0]?.reason).toBe('slow-call-rate');
    expect(breaker.status().slowCallRate).toBe(0.5);
  });
});

describe('time window', () => {
  it('does not count stale failures after an idle gap (one failure after ten idle minutes)', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 100,
      failureRateThreshold: 0.5,
      minimumCalls: 5,
      slidingWindow: { type: 'time', size: 60_000 },
      clock,
    });
    // 6 successes, then 5 failures: 45%, just under the threshold.
    await callTimes(breaker, 6, succeed());
    await callTimes(breaker, 5, fail());
    expect(breaker.state).toBe('closed');
    clock.advance(10 * 60_000);
    // With the stale calls still counted this would be 6/12 = 50% and open the circuit.
    await callTimes(breaker, 1, fail());
    expect(breaker.state).toBe('closed');
    expect(breaker.status().windowCalls).toBe(1);
  });

  it('lets calls age out of the window gradually', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', {
      slidingWindow: { type: 'time', size: 10_000 },
      clock,
    });
    await callTimes(breaker, 4, fail());
    clock.advance(5_000);
    await callTimes(breaker, 4, succeed());
    expect(breaker.status().windowCalls).toBe(8);
    clock.advance(5_000);
    expect(breaker.status()).toMatchObject({ windowCalls: 4, failureRate: 0 });
    clock.advance(5_000);
    expect(breaker.status().windowCalls).toBe(0);
  });
});

describe('count window', () => {
  it('keeps only the last size calls', async () => {
    const breaker = new CircuitBreaker('svc', {
      failureThreshold: 100,
      slidingWindow: { type: 'count', size: 5 },
      minimumCalls: 5,
      clock: new FakeClock(),
    });
    await callTimes(breaker, 5, fail());
    await callTimes(breaker, 3, succeed());
    expect(breaker.status()).toMatchObject({ windowCalls: 5, failureRate: 0.4 });
  });
});
