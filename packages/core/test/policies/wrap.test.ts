import {
  bulkhead,
  CallTimeoutError,
  CircuitBreaker,
  ConfigError,
  fallback,
  isCircuitOpenError,
  type Operation,
  type Policy,
  type PolicyExecuteOptions,
  retry,
  wrap,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { outcome } from '../support/calls';

/** A layer that logs when a call enters and leaves it, and the options it was given. */
function recording(
  name: string,
  log: string[],
  seen: Array<PolicyExecuteOptions | undefined> = [],
) {
  const policy: Policy = {
    async execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T> {
      log.push(`${name} in`);
      seen.push(options);
      try {
        return await fn(options?.signal ?? new AbortController().signal);
      } finally {
        log.push(`${name} out`);
      }
    },
  };
  return policy;
}

describe('wrap', () => {
  it('runs the policies outermost first, with the operation innermost', async () => {
    const log: string[] = [];
    const policy = wrap(recording('a', log), recording('b', log), recording('c', log));
    const value = await policy.execute(() => {
      log.push('operation');
      return 7;
    });
    expect(value).toBe(7);
    expect(log).toEqual(['a in', 'b in', 'c in', 'operation', 'c out', 'b out', 'a out']);
  });

  it("passes the caller's signal through every layer to the operation", async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const seen: Array<PolicyExecuteOptions | undefined> = [];
    const controller = new AbortController();
    const policy = wrap(
      recording('outer', log, seen),
      retry({ clock }),
      bulkhead({ maxConcurrent: 1 }),
      new CircuitBreaker('svc', { clock }),
      recording('inner', log, seen),
    );
    let received: AbortSignal | undefined;
    await policy.execute(
      (signal) => {
        received = signal;
      },
      { signal: controller.signal },
    );
    expect(seen.map((options) => options?.signal)).toEqual([controller.signal, controller.signal]);
    expect(received).toBe(controller.signal);
  });

  it('passes down the signal a layer substitutes: a breaker timeout aborts the operation', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('slow', { timeout: 1_000, clock });
    const signals: AbortSignal[] = [];
    const policy = wrap(
      retry({ maxAttempts: 2, jitter: 'none', initialDelay: 100, clock }),
      breaker,
    );
    const call = outcome(
      policy.execute((signal) => {
        signals.push(signal);
        return new Promise<never>(() => {});
      }),
    );
    await clock.advanceAsync(3_000);
    expect(await call).toBeInstanceOf(CallTimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(breaker.status().timeouts).toBe(2);
  });

  it('calls each layer without options when the caller gave no signal', async () => {
    const seen: Array<PolicyExecuteOptions | undefined> = [];
    const policy = wrap(retry(), recording('inner', [], seen));
    await policy.execute(() => 1);
    expect(seen).toEqual([undefined]);
  });

  it('composes fallback, retry and breaker: retry stops at the open circuit, fallback serves', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('quotes', { failureThreshold: 2, clock });
    let calls = 0;
    let handled: unknown;
    const policy = wrap(
      fallback((error) => {
        handled = error;
        return 'cached quote';
      }),
      retry({ maxAttempts: 5, jitter: 'none', initialDelay: 50, clock }),
      breaker,
    );
    const call = policy.execute(async (): Promise<string> => {
      calls++;
      throw new Error('quotes down');
    });
    await clock.advanceAsync(1_000);
    expect(await call).toBe('cached quote');
    expect(calls).toBe(2);
    expect(isCircuitOpenError(handled) && handled.breaker).toBe('quotes');
  });

  it('nests: a wrap inside a wrap keeps the order', async () => {
    const log: string[] = [];
    const inner = wrap(recording('b', log), recording('c', log));
    await wrap(recording('a', log), inner).execute(() => log.push('operation'));
    expect(log).toEqual(['a in', 'b in', 'c in', 'operation', 'c out', 'b out', 'a out']);
  });

  it("types the result as the operation's value or any wrapped fallback's", async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    expectTypeOf(await wrap(retry(), breaker).execute(() => 1)).toEqualTypeOf<number>();
    const withFallback = wrap(
      fallback(() => null),
      retry(),
      breaker,
    );
    expectTypeOf(await withFallback.execute(async () => 'live')).toEqualTypeOf<string | null>();
    const nested = wrap(
      fallback(() => 0 as const),
      wrap(
        fallback(() => 'stale' as const),
        breaker,
      ),
    );
    expectTypeOf(await nested.execute(() => true)).toEqualTypeOf<boolean | 0 | 'stale'>();
  });

  it('throws a ConfigError when given no policy, or something that is not one', () => {
    expect(() => wrap()).toThrow(ConfigError);
    expect(() => wrap()).toThrow("Invalid option 'policies': [] (expected at least one policy");
    let thrown: unknown;
    try {
      wrap(retry(), { name: 'not a policy' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe('policies[1]');
    expect((thrown as ConfigError).message).toContain('{"name":"not a policy"}');
  });

  it('rejects a missing function', async () => {
    await expect(wrap(retry()).execute(undefined as never)).rejects.toThrow(/needs a function/);
  });
});
