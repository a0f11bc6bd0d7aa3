import {
  BulkheadFullError,
  CircuitBreaker,
  CircuitOpenError,
  ConfigError,
  isCircuitOpenError,
  RateLimitedError,
  type RetryOptions,
  retry,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { flush, outcome } from '../support/calls';
import { expectConfigError } from '../support/config-errors';

/** An operation that fails `failures` times with numbered errors, then resolves 'ok'; it records when each attempt ran. */
function flaky(clock: FakeClock, failures: number) {
  const attemptTimes: number[] = [];
  const operation = async (): Promise<string> => {
    attemptTimes.push(clock.monotonic());
    if (attemptTimes.length <= failures) throw new Error(`failure ${attemptTimes.length}`);
    return 'ok';
  };
  return { operation, attemptTimes };
}

function noJitter(clock: FakeClock, options: RetryOptions = {}) {
  return retry({ jitter: 'none', clock, ...options });
}

describe('retry', () => {
  it('retries a failing call until it succeeds and resolves with its value', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 2);
    const call = noJitter(clock).execute(operation);
    await clock.advanceAsync(1_000);
    expect(await call).toBe('ok');
    expect(attemptTimes).toHaveLength(3);
  });

  it('makes maxAttempts attempts in all, then rethrows the last error unchanged', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 10);
    const call = outcome(noJitter(clock, { maxAttempts: 4 }).execute(operation));
    await clock.advanceAsync(10_000);
    const error = await call;
    expect(attemptTimes).toHaveLength(4);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('failure 4');
    expect(clock.pendingTimers).toBe(0);
  });

  it('makes a single attempt when maxAttempts is 1', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 1);
    const error = await outcome(noJitter(clock, { maxAttempts: 1 }).execute(operation));
    expect((error as Error).message).toBe('failure 1');
    expect(attemptTimes).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rethrows a synchronous throw the same way as a rejection', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const thrown = new TypeError('sync');
    const call = outcome(
      noJitter(clock, { maxAttempts: 2 }).execute(() => {
        attempts++;
        throw thrown;
      }),
    );
    await clock.advanceAsync(1_000);
    expect(await call).toBe(thrown);
    expect(attempts).toBe(2);
  });

  it("waits initialDelay × multiplier^(retry − 1) between attempts with jitter 'none'", async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 4);
    const policy = noJitter(clock, { maxAttempts: 5, initialDelay: 100, multiplier: 3 });
    const call = policy.execute(operation);
    await clock.advanceAsync(10_000);
    expect(await call).toBe('ok');
    // Delays 100, 300, 900, 2700.
    expect(attemptTimes).toEqual([0, 100, 400, 1_300, 4_000]);
  });

  it('caps the backoff at maxDelay', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 4);
    const policy = noJitter(clock, { maxAttempts: 5, initialDelay: 100, maxDelay: 250 });
    const call = policy.execute(operation);
    await clock.advanceAsync(10_000);
    await call;
    // Delays 100, 200, then 250 twice instead of 400 and 800.
    expect(attemptTimes).toEqual([0, 100, 300, 550, 800]);
  });

  it('does not start the next attempt before its backoff has elapsed', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 1);
    const call = noJitter(clock, { initialDelay: 500 }).execute(operation);
    await clock.advanceAsync(499);
    expect(attemptTimes).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(await call).toBe('ok');
    expect(attemptTimes).toEqual([0, 500]);
  });

  it('with full jitter waits random() × the backoff', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 3);
    const draws = [0.5, 0.25, 0.999];
    const policy = retry({
      maxAttempts: 4,
      initialDelay: 1_000,
      clock,
      random: () => draws.shift() ?? Number.NaN,
    });
    const call = policy.execute(operation);
    await clock.advanceAsync(10_000);
    await call;
    // Backoffs 1000, 2000, 4000 scaled by 0.5, 0.25, 0.999: each below its backoff.
    expect(attemptTimes).toEqual([0, 500, 1_000, 4_996]);
  });

  it('with full jitter and random() = 0 retries at once, without a timer', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 2);
    const call = retry({ clock, random: () => 0 }).execute(operation);
    expect(await call).toBe('ok');
    expect(attemptTimes).toEqual([0, 0, 0]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('uses full jitter by default', () => {
    expect(retry().options).toMatchObject({
      maxAttempts: 3,
      initialDelay: 100,
      maxDelay: 10_000,
      multiplier: 2,
      jitter: 'full',
      random: Math.random,
    });
    expect(Object.isFrozen(retry().options)).toBe(true);
  });

  it('raises the default maxDelay to an initialDelay longer than 10 s', () => {
    expect(retry({ initialDelay: 20_000 }).options.maxDelay).toBe(20_000);
  });

  it('never retries a CircuitOpenError, rethrowing it at once', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('payments', { clock });
    breaker.forceOpen();
    let attempts = 0;
    const error = await outcome(
      noJitter(clock, { shouldRetry: () => true }).execute(() => {
        attempts++;
        return breaker.execute(async () => 'never runs');
      }),
    );
    expect(isCircuitOpenError(error) && error.breaker).toBe('payments');
    expect(attempts).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it.each([
    ['BulkheadFullError', new BulkheadFullError(2, 0)],
    ['RateLimitedError', new RateLimitedError(250)],
    ['CircuitOpenError', new CircuitOpenError('db', 'open', 1_000)],
  ])('does not retry a %s (load shedding or a known outage)', async (_name, rejection) => {
    const clock = new FakeClock();
    let attempts = 0;
    const error = await outcome(
      noJitter(clock).execute(() => {
        attempts++;
        return Promise.reject(rejection);
      }),
    );
    expect(error).toBe(rejection);
    expect(attempts).toBe(1);
  });

  it('asks shouldRetry with the error and the number of the failed attempt', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 10);
    const asked: Array<[string, number]> = [];
    const policy = noJitter(clock, {
      maxAttempts: 5,
      shouldRetry: (error, attempt) => {
        asked.push([(error as Error).message, attempt]);
        return attempt < 3;
      },
    });
    const call = outcome(policy.execute(operation));
    await clock.advanceAsync(10_000);
    expect(((await call) as Error).message).toBe('failure 3');
    expect(attemptTimes).toHaveLength(3);
    expect(asked).toEqual([
      ['failure 1', 1],
      ['failure 2', 2],
      ['failure 3', 3],
    ]);
  });

  it('does not ask shouldRetry once the attempts are exhausted', async () => {
    const clock = new FakeClock();
    const { operation } = flaky(clock, 10);
    const attemptsAsked: number[] = [];
    const policy = noJitter(clock, {
      maxAttempts: 2,
      shouldRetry: (_error, attempt) => attemptsAsked.push(attempt) > 0,
    });
    const call = outcome(policy.execute(operation));
    await clock.advanceAsync(1_000);
    await call;
    expect(attemptsAsked).toEqual([1]);
  });

  it("stops and rethrows the operation's error when shouldRetry throws", async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 10);
    const policy = noJitter(clock, {
      shouldRetry: () => {
        throw new Error('broken predicate');
      },
    });
    const error = await outcome(policy.execute(operation));
    expect((error as Error).message).toBe('failure 1');
    expect(attemptTimes).toHaveLength(1);
  });

  it("passes the caller's signal to every attempt", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const call = noJitter(clock).execute(
      async (signal) => {
        seen.push(signal);
        if (seen.length < 3) throw new Error('again');
        return 'ok';
      },
      { signal: controller.signal },
    );
    await clock.advanceAsync(1_000);
    expect(await call).toBe('ok');
    expect(seen).toEqual([controller.signal, controller.signal, controller.signal]);
  });

  it('an abort during the backoff rejects with signal.reason, clears the timer and stops', async () => {
    const clock = new FakeClock();
    const { operation, attemptTimes } = flaky(clock, 10);
    const controller = new AbortController();
    const call = outcome(noJitter(clock).execute(operation, { signal: controller.signal }));
    await flush();
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceAsync(10_000);
    expect(attemptTimes).toHaveLength(1);
  });

  it('an abort during an attempt rejects at once with signal.reason, even if the operation ignores it', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let attempts = 0;
    let seen: AbortSignal | undefined;
    const call = outcome(
      noJitter(clock).execute(
        (signal) => {
          attempts++;
          seen = signal;
          return new Promise<never>(() => {});
        },
        { signal: controller.signal },
      ),
    );
    controller.abort('stop');
    expect(await call).toBe('stop');
    expect(seen?.aborted).toBe(true);
    await clock.advanceAsync(10_000);
    expect(attempts).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not call the operation when the signal is already aborted', async () => {
    let attempts = 0;
    const error = await outcome(
      retry().execute(
        () => {
          attempts++;
          return 'never';
        },
        { signal: AbortSignal.abort('too late') },
      ),
    );
    expect(error).toBe('too late');
    expect(attempts).toBe(0);
  });

  it('rejects a missing function and a signal that is not an AbortSignal', async () => {
    await expect(retry().execute(undefined as never)).rejects.toThrow(/needs a function/);
    const error = await outcome(retry().execute(() => 1, { signal: 'stop' as never }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('signal');
  });
});

describe('retry around a circuit breaker', () => {
  it('stops at the CircuitOpenError once the breaker opens during the retries', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('exchange', { failureThreshold: 2, clock });
    const policy = noJitter(clock, { maxAttempts: 5, initialDelay: 100 });
    let calls = 0;
    const call = outcome(
      policy.execute(() =>
        breaker.execute(() => {
          calls++;
          return Promise.reject(new Error('exchange down'));
        }),
      ),
    );
    await clock.advanceAsync(10_000);
    const error = await call;
    // Attempt 1 and 2 reach the exchange and open the circuit; attempt 3 is rejected by the breaker.
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(isCircuitOpenError(error) && error.breaker).toBe('exchange');
    expect(breaker.status()).toMatchObject({ state: 'open', totalFailures: 2, rejected: 1 });
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('retry options', () => {
  const badValues: Array<[string, unknown, Record<string, unknown>]> = [
    ['maxAttempts', 0, { maxAttempts: 0 }],
    ['maxAttempts', 2.5, { maxAttempts: 2.5 }],
    ['maxAttempts', '3', { maxAttempts: '3' }],
    ['initialDelay', -1, { initialDelay: -1 }],
    ['initialDelay', Number.NaN, { initialDelay: Number.NaN }],
    ['maxDelay', 50, { initialDelay: 100, maxDelay: 50 }],
    ['maxDelay', Number.POSITIVE_INFINITY, { maxDelay: Number.POSITIVE_INFINITY }],
    ['multiplier', 0.5, { multiplier: 0.5 }],
    ['jitter', 'equal', { jitter: 'equal' }],
    ['shouldRetry', true, { shouldRetry: true }],
    ['clock', 5, { clock: 5 }],
    ['random', 0.5, { random: 0.5 }],
    ['maxAttempt', 3, { maxAttempt: 3 }],
    ['options', 3, 3 as never],
  ];

  it.each(badValues)(
    'rejects a bad %s (%s), naming the option and the value',
    (option, value, options) =>
      expectConfigError(() => retry(options as RetryOptions), option, value),
  );

  it('shows the bad value in the message', () => {
    expect(() => retry({ maxAttempts: 0 })).toThrow(
      "Invalid option 'maxAttempts': 0 (expected an integer >= 1)",
    );
    expect(() => retry({ jitter: 'half' as 'full' })).toThrow(
      `Invalid option 'jitter': "half" (expected 'full' or 'none')`,
    );
  });
});
