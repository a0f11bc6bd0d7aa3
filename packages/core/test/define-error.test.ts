import {
  BreakwaterError,
  BulkheadFullError,
  CallTimeoutError,
  ConfigError,
  defineError,
  errorCodes,
  RateLimitedError,
  StoreClosedError,
  StoreUnavailableError,
  UnknownServiceError,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';

describe('defineError', () => {
  const ExampleError = defineError(
    errorCodes.storeUnavailable,
    'ExampleError',
    (store: string, attempts: number, options?: { cause?: unknown }) => ({
      message: `${store} failed ${attempts} times`,
      cause: options?.cause,
      store,
      attempts,
    }),
  );

  it('builds a BreakwaterError with the code, the message and the fields', () => {
    const error = new ExampleError('db', 3);
    expect(error).toBeInstanceOf(ExampleError);
    expect(error).toBeInstanceOf(BreakwaterError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'BW_STORE_UNAVAILABLE', store: 'db', attempts: 3 });
    expect(error.message).toBe('db failed 3 times');
    expect(ExampleError.code).toBe('BW_STORE_UNAVAILABLE');
  });

  it('puts the name on the prototype, not on each instance, and names the class', () => {
    const error = new ExampleError('db', 1);
    expect(error.name).toBe('ExampleError');
    expect(Object.hasOwn(error, 'name')).toBe(false);
    expect(ExampleError.name).toBe('ExampleError');
    expect(error.stack).toMatch(/^ExampleError: db failed 1 times/);
    expect(String(error)).toBe('ExampleError: db failed 1 times');
  });

  it('keeps a cause only when one is given, and serialises the fields', () => {
    const cause = new Error('socket closed');
    expect(new ExampleError('db', 1, { cause }).cause).toBe(cause);
    expect('cause' in new ExampleError('db', 1)).toBe(false);
    expect(JSON.parse(JSON.stringify(new ExampleError('db', 2)))).toEqual({
      code: 'BW_STORE_UNAVAILABLE',
      store: 'db',
      attempts: 2,
    });
  });

  it('gives a guard that checks the brand and the code, not instanceof', () => {
    expect(ExampleError.is(new ExampleError('db', 1))).toBe(true);
    expect(ExampleError.is(new StoreUnavailableError('db', 'down'))).toBe(true);
    expect(ExampleError.is(new StoreClosedError('db'))).toBe(false);
    expect(ExampleError.is({ code: 'BW_STORE_UNAVAILABLE' })).toBe(false);
    expect(ExampleError.is(new Error('BW_STORE_UNAVAILABLE'))).toBe(false);
    expect(ExampleError.is(undefined)).toBe(false);
  });

  it('can be extended like any class', () => {
    class Detailed extends ExampleError {
      readonly detail = 'more';
    }
    const error = new Detailed('db', 1);
    expect(error).toBeInstanceOf(ExampleError);
    expect(error).toMatchObject({ name: 'ExampleError', detail: 'more', attempts: 1 });
  });
});

describe('errors built by defineError keep their public shape', () => {
  it('takes the same constructor arguments and carries the same fields', () => {
    expect(new ConfigError('slidingWindow.size', 0, 'an integer >= 1')).toMatchObject({
      name: 'ConfigError',
      option: 'slidingWindow.size',
      value: 0,
      expected: 'an integer >= 1',
      message: "Invalid option 'slidingWindow.size': 0 (expected an integer >= 1)",
    });
    expect(new CallTimeoutError('svc', 10)).toMatchObject({ breaker: 'svc', timeout: 10 });
    expect(new BulkheadFullError(2, 3)).toMatchObject({ maxConcurrent: 2, maxQueue: 3 });
    expect(new RateLimitedError(12.5)).toMatchObject({ retryAfter: 12.5 });
    expect(new UnknownServiceError('x')).toMatchObject({ service: 'x' });
    expect(UnknownServiceError.name).toBe('UnknownServiceError');
  });
});
