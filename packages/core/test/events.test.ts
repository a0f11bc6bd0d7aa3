import {
  type BreakerEvent,
  CircuitBreaker,
  type Clock,
  type ListenerErrorEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { callTimes, fail, outcome, succeed } from './support/calls';

describe('events', () => {
  it('emits stateChange with from, to, reason and the wall time as at', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, clock });
    const listener = vi.fn();
    breaker.on('stateChange', listener);
    await callTimes(breaker, 1, fail());
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({
      type: 'stateChange',
      breaker: 'svc',
      from: 'closed',
      to: 'open',
      reason: 'consecutive-failures',
      at: Date.UTC(2026, 10, 23, 12),
    });
  });

  it('emits success, failure, rejected and timeout events', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { failureThreshold: 2, clock, latencySampling: 1 });
    const seen: BreakerEvent[] = [];
    for (const type of ['success', 'failure', 'rejected', 'timeout'] as const) {
      breaker.on(type, (event) => seen.push(event));
    }
    await breaker.execute(succeed());
    const timedOut = outcome(breaker.execute(() => new Promise(() => {}), { timeout: 10 }));
    clock.advance(10);
    await timedOut;
    await callTimes(breaker, 1, fail());
    await callTimes(breaker, 1, succeed());
    expect(seen.map((event) => event.type)).toEqual([
      'success',
      'timeout',
      'failure',
      'failure',
      'rejected',
    ]);
    expect(seen[0]).toMatchObject({ type: 'success', duration: 0 });
    expect(seen[1]).toMatchObject({ type: 'timeout', timeout: 10 });
    expect(seen[4]).toMatchObject({ type: 'rejected', state: 'open', retryAfter: 30_000 });
  });

  it('stops delivering after unsubscribe', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const listener = vi.fn();
    const off = breaker.on('success', listener);
    await breaker.execute(succeed());
    off();
    off();
    await breaker.execute(succeed());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('never lets a throwing listener break the call, and reports it on the error event', async () => {
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, clock: new FakeClock() });
    const reports: ListenerErrorEvent[] = [];
    breaker.on('error', (event) => reports.push(event));
    breaker.on('stateChange', () => {
      throw new Error('listener bug');
    });
    const after = vi.fn();
    breaker.on('stateChange', after);
    const error = await outcome(breaker.execute(fail('real failure')));
    expect((error as Error).message).toBe('real failure');
    expect(breaker.state).toBe('open');
    expect(after).toHaveBeenCalledTimes(1);
    expect(reports).toMatchObject([{ type: 'error', during: 'stateChange', breaker: 'svc' }]);
    expect(reports[0]?.error).toEqual(new Error('listener bug'));
  });

  it('logs a throwing listener when nobody listens for errors', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    breaker.on('success', () => {
      throw new Error('oops');
    });
    expect(await breaker.execute(succeed())).toBe('ok');
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it('builds no event when nobody listens (the wall clock is never read on a success)', async () => {
    const fake = new FakeClock();
    const wallReads = vi.fn(() => fake.now());
    const clock: Clock = {
      now: wallReads,
      monotonic: () => fake.monotonic(),
      setTimeout: (callback, ms) => fake.setTimeout(callback, ms),
      clearTimeout: (handle) => fake.clearTimeout(handle),
    };
    const breaker = new CircuitBreaker('svc', { clock, latencySampling: 1 });
    await callTimes(breaker, 20, succeed());
    expect(wallReads).not.toHaveBeenCalled();
    breaker.on('success', () => {});
    await callTimes(breaker, 1, succeed());
    expect(wallReads).toHaveBeenCalledOnce();
  });

  it('refuses an unknown event name', () => {
    const breaker = new CircuitBreaker('svc');
    expect(() => breaker.on('stateChnage' as never, () => {})).toThrow(
      /Invalid option 'type': "stateChnage" \(expected a breaker event: stateChange, /,
    );
  });
});
