import {
  CircuitBreaker,
  ConfigError,
  type FallbackOptions,
  fallback,
  isCircuitOpenError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { outcome } from '../support/calls';

describe('fallback', () => {
  it("resolves with the operation's value and leaves the handler alone on success", async () => {
    let handled = 0;
    const policy = fallback(() => {
      handled++;
      return 'fallback';
    });
    expect(await policy.execute(async () => 'live')).toBe('live');
    expect(handled).toBe(0);
  });

  it('resolves a failed call with the awaited value of handler(error)', async () => {
    const boom = new Error('boom');
    let received: unknown;
    const policy = fallback(async (error) => {
      received = error;
      return 'cached';
    });
    expect(await policy.execute(() => Promise.reject(boom))).toBe('cached');
    expect(received).toBe(boom);
  });

  it('handles a synchronous throw too', async () => {
    const policy = fallback(() => 'default');
    expect(
      await policy.execute(() => {
        throw new Error('sync');
      }),
    ).toBe('default');
  });

  it('rethrows errors that shouldHandle declines', async () => {
    const policy = fallback(() => 'default', {
      shouldHandle: (error) => error instanceof TypeError,
    });
    expect(
      await policy.execute(() => {
        throw new TypeError('handled');
      }),
    ).toBe('default');
    const declined = new RangeError('declined');
    expect(await outcome(policy.execute(() => Promise.reject(declined)))).toBe(declined);
  });

  it("rethrows the operation's error when shouldHandle throws", async () => {
    const policy = fallback(() => 'default', {
      shouldHandle: () => {
        throw new Error('broken predicate');
      },
    });
    const original = new Error('original');
    expect(await outcome(policy.execute(() => Promise.reject(original)))).toBe(original);
  });

  it("rejects with the handler's error when the handler fails", async () => {
    const handlerError = new Error('no cache either');
    const policy = fallback(() => Promise.reject(handlerError));
    expect(await outcome(policy.execute(() => Promise.reject(new Error('boom'))))).toBe(
      handlerError,
    );
  });

  it('serves the fallback for a CircuitOpenError from a breaker it wraps', async () => {
    const breaker = new CircuitBreaker('prices', { clock: new FakeClock() });
    breaker.forceOpen();
    const policy = fallback((error) =>
      isCircuitOpenError(error) ? `stale (${error.breaker})` : '',
    );
    expect(await policy.execute(() => breaker.execute(() => 'live'))).toBe('stale (prices)');
  });

  it('does not serve a fallback once the caller has aborted', async () => {
    let handled = 0;
    const policy = fallback(() => {
      handled++;
      return 'default';
    });
    const controller = new AbortController();
    const call = outcome(
      policy.execute(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
        { signal: controller.signal },
      ),
    );
    controller.abort('cancelled');
    expect(await call).toBe('cancelled');
    expect(handled).toBe(0);
  });
});

describe('fallback options', () => {
  it('rejects a handler that is not a function, naming it and the value', () => {
    expect(() => fallback('default' as never)).toThrow(
      `Invalid option 'handler': "default" (expected a function (error) => fallback value)`,
    );
  });

  it.each([
    ['shouldHandle', 'TypeError', { shouldHandle: 'TypeError' }],
    ['handle', true, { handle: true }],
    ['options', 1, 1],
  ])('rejects a bad %s (%s), naming the option and the value', (option, value, options) => {
    let thrown: unknown;
    try {
      fallback(() => 0, options as FallbackOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe(option);
    expect((thrown as ConfigError).value).toBe(value);
  });
});
