import { getEventListeners } from 'node:events';
import {
  CallTimeoutError,
  CircuitBreaker,
  isCallTimeoutError,
  isConfigError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, deferred, fail, outcome, succeed } from './support/calls';

class ValidationError extends Error {}

describe('execute', () => {
  it('returns the value of an async or a plain function', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    expect(await breaker.execute(async () => 42)).toBe(42);
    expect(await breaker.execute(() => 'plain')).toBe('plain');
  });

  it('counts a function that throws synchronously as a failure and rethrows', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const error = await outcome(
      breaker.execute(() => {
        throw new TypeError('sync');
      }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(breaker.status()).toMatchObject({ totalFailures: 1, failuresByError: { TypeError: 1 } });
  });

  it('rejects a missing function and bad per-call options with clear errors', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const missing = await outcome(breaker.execute(undefined as never));
    expect(isConfigError(missing) && missing.option).toBe('fn');
    expect(missing).toMatchObject({ message: expect.stringMatching(/needs a function/) });
    const bad = await outcome(breaker.execute(succeed(), { timeout: -5 }));
    expect(isConfigError(bad) && bad.option).toBe('timeout');
    expect(breaker.status().totalAttempts).toBe(0);
  });
});

describe('timeouts', () => {
  it('aborts the signal, rejects with CallTimeoutError and counts a failure', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('payments', { clock });
    let seen: AbortSignal | undefined;
    const call = outcome(
      breaker.execute(
        (signal) => {
          seen = signal;
          return new Promise(() => {});
        },
        { timeout: 500 },
      ),
    );
    clock.advance(499);
    expect(seen?.aborted).toBe(false);
    clock.advance(1);
    const error = await call;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(isCallTimeoutError(error) && [error.breaker, error.timeout]).toEqual(['payments', 500]);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    expect(breaker.status()).toMatchObject({ timeouts: 1, totalFailures: 1, failureCount: 1 });
  });

  it('uses the breaker timeout by default and lets a call override it', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { timeout: 100, clock });
    const first = outcome(breaker.execute(() => new Promise(() => {})));
    const second = outcome(breaker.execute(() => new Promise(() => {}), { timeout: 300 }));
    clock.advance(100);
    expect(isCallTimeoutError(await first)).toBe(true);
    expect(breaker.status().timeouts).toBe(1);
    clock.advance(200);
    expect(isCallTimeoutError(await second)).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clears the timer when the call finishes first and ignores the late result of a timed-out call', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, timeout: 100 });
    expect(await breaker.execute(succeed('fast'))).toBe('fast');
    expect(clock.pendingTimers).toBe(0);
    const slow = deferred();
    const call = outcome(breaker.execute(() => slow.promise));
    clock.advance(100);
    await call;
    slow.resolve('too late');
    await outcome(slow.promise);
    expect(breaker.status()).toMatchObject({ totalSuccesses: 1, totalFailures: 1 });
  });

  it('opens the circuit on consecutive timeouts', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, failureThreshold: 2, timeout: 50 });
    for (let index = 0; index < 2; index++) {
      const call = outcome(breaker.execute(() => new Promise(() => {})));
      clock.advance(50);
      await call;
    }
    expect(breaker.state).toBe('open');
  });
});

describe('caller signal', () => {
  it('rejects at once with the reason of an already aborted signal, without running', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    let ran = false;
    const error = await outcome(breaker.execute(() => (ran = true), { signal: controller.signal }));
    expect(ran).toBe(false);
    expect((error as Error).message).toBe('gone');
  });

  it('passes the abort to the call and counts it as neither success nor failure', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { clock, failureThreshold: 1 });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const call = outcome(
      breaker.execute(
        (signal) => {
          seen = signal;
          return new Promise(() => {});
        },
        { signal: controller.signal, timeout: 1_000 },
      ),
    );
    controller.abort(new Error('user left'));
    expect(((await call) as Error).message).toBe('user left');
    expect(seen?.aborted).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.status()).toMatchObject({ totalFailures: 0, totalIgnored: 1 });
    expect(clock.pendingTimers).toBe(0);
  });

  it("gives the call its own signal, aborted with the caller's reason, and leaves no listener on the caller's", async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    await breaker.execute((signal) => seen.push(signal), { signal: controller.signal });
    const pending = breaker.execute(
      (signal) => {
        seen.push(signal);
        return new Promise(() => {});
      },
      { signal: controller.signal },
    );
    expect(seen[0]).not.toBe(controller.signal);
    expect(seen[1]).not.toBe(seen[0]);
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(seen[1]?.aborted).toBe(true);
    expect(seen[1]?.reason).toBe(controller.signal.reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('gives every call of a function that declares a signal its own, and none to one that does not', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const seen = new Set<AbortSignal>();
    for (let i = 0; i < 3; i++) await breaker.execute((signal) => seen.add(signal));
    expect(seen.size).toBe(3);
    let untouched: unknown;
    await breaker.execute(function (this: unknown) {
      // biome-ignore lint/complexity/noArguments: what a parameterless function could still reach
      untouched = arguments[0];
    });
    expect(untouched).toBeInstanceOf(AbortSignal);
    expect(seen.has(untouched as AbortSignal)).toBe(false);
  });
});

describe('what counts as a failure', () => {
  it('records an error judged not a failure as neither, and rethrows it', async () => {
    const breaker = new CircuitBreaker('svc', {
      clock: new FakeClock(),
      failureThreshold: 1,
      isFailure: (error) => !(error instanceof ValidationError),
    });
    const error = await outcome(
      breaker.execute(() => Promise.reject(new ValidationError('bad input'))),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(breaker.state).toBe('closed');
    expect(breaker.status()).toMatchObject({
      totalFailures: 0,
      totalSuccesses: 0,
      totalIgnored: 1,
    });
  });

  it('ignores errors of the classes in ignoredErrors', async () => {
    const breaker = new CircuitBreaker('svc', {
      clock: new FakeClock(),
      failureThreshold: 1,
      ignoredErrors: [ValidationError],
    });
    await callTimes(breaker, 3, () => Promise.reject(new ValidationError('no')));
    expect(breaker.state).toBe('closed');
    await callTimes(breaker, 1, fail());
    expect(breaker.state).toBe('open');
  });

  it('counts a result judged a failure but still returns it', async () => {
    const breaker = new CircuitBreaker('svc', {
      clock: new FakeClock(),
      failureThreshold: 2,
      isResultFailure: (result) => (result as { status: number }).status >= 500,
    });
    const response = await breaker.execute(async () => ({ status: 503 }));
    expect(response).toEqual({ status: 503 });
    await breaker.execute(async () => ({ status: 502 }));
    expect(breaker.state).toBe('open');
    expect(breaker.status().failuresByError).toEqual({ ResultFailure: 2 });
  });

  it('treats an error as a failure when isFailure itself throws', async () => {
    const breaker = new CircuitBreaker('svc', {
      clock: new FakeClock(),
      isFailure: () => {
        throw new Error('classifier bug');
      },
    });
    await callTimes(breaker, 1, fail());
    expect(breaker.status().totalFailures).toBe(1);
  });
});
