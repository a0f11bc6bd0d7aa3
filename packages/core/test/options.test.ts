import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  ConfigError,
  defaultOptions,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { expectConfigError } from './support/config-errors';

const badValues: Array<[string, Record<string, unknown>]> = [
  ['failureThreshold', { failureThreshold: 0 }],
  ['failureThreshold', { failureThreshold: 2.5 }],
  ['failureThreshold', { failureThreshold: '5' }],
  ['monitoringWindow', { monitoringWindow: 0 }],
  ['resetTimeout', { resetTimeout: -1 }],
  ['resetTimeout', { resetTimeout: Number.NaN }],
  ['resetTimeout', { resetTimeout: Number.POSITIVE_INFINITY }],
  ['successThreshold', { successThreshold: 0 }],
  ['halfOpenMaxCalls', { halfOpenMaxCalls: 0 }],
  ['backoffMultiplier', { backoffMultiplier: 0.5 }],
  ['maxResetTimeout', { resetTimeout: 10_000, maxResetTimeout: 5_000 }],
  ['maxRecoveryAttempts', { maxRecoveryAttempts: 0 }],
  ['minHealthyPeriod', { minHealthyPeriod: -1 }],
  ['slidingWindow', { slidingWindow: 100 }],
  ['slidingWindow.type', { slidingWindow: { type: 'sliding', size: 10 } }],
  ['slidingWindow.size', { slidingWindow: { type: 'count', size: 0 } }],
  ['slidingWindow.size', { slidingWindow: { type: 'count', size: 1.5 } }],
  ['slidingWindow.size', { slidingWindow: { type: 'time', size: 5 } }],
  ['slidingWindow.buckets', { slidingWindow: { type: 'time', size: 5_000, buckets: 4 } }],
  ['minimumCalls', { minimumCalls: 0 }],
  ['minimumCalls', { slidingWindow: { type: 'count', size: 5 }, minimumCalls: 10 }],
  ['failureRateThreshold', { failureRateThreshold: 50 }],
  ['failureRateThreshold', { failureRateThreshold: 0 }],
  ['slowCallRateThreshold', { slowCallRateThreshold: 1.5 }],
  ['slowCallDuration', { slowCallDuration: -5 }],
  ['timeout', { timeout: 0 }],
  ['isFailure', { isFailure: true }],
  ['ignoredErrors', { ignoredErrors: Error }],
  ['ignoredErrors[1]', { ignoredErrors: [TypeError, 'RangeError'] }],
  ['isResultFailure', { isResultFailure: 'status >= 500' }],
  ['latencySampling', { latencySampling: 0 }],
  ['captureStackTrace', { captureStackTrace: 'yes' }],
  ['clock', { clock: { now: () => 0 } }],
  ['failureTreshold', { failureTreshold: 5 }],
];

describe('option validation', () => {
  it.each(badValues)('rejects a bad %s, naming the option and the value', (option, options) =>
    expectConfigError(() => new CircuitBreaker('svc', options as CircuitBreakerOptions), option),
  );

  it('shows the bad value in the message', () => {
    expect(() => new CircuitBreaker('svc', { resetTimeout: -250 })).toThrow(
      "Invalid option 'resetTimeout': -250 (expected a duration in milliseconds from 1 to 2147483647)",
    );
    expect(
      () => new CircuitBreaker('svc', { slidingWindow: { type: 'sliding' as 'count', size: 1 } }),
    ).toThrow(`Invalid option 'slidingWindow.type': "sliding" (expected 'count' or 'time')`);
  });

  it('rejects a missing name and a non-object options argument', () => {
    expect(() => new CircuitBreaker('')).toThrow(ConfigError);
    expect(() => new CircuitBreaker('svc', 5 as never)).toThrow("Invalid option 'options'");
  });

  it('applies the documented defaults and freezes the result', () => {
    const { options } = new CircuitBreaker('svc');
    expect(options).toMatchObject({
      failureThreshold: 5,
      resetTimeout: 30_000,
      successThreshold: 2,
      halfOpenMaxCalls: 1,
      backoffMultiplier: 2,
      maxResetTimeout: 300_000,
      maxRecoveryAttempts: 3,
      minHealthyPeriod: 120_000,
      slidingWindow: { type: 'count', size: 100 },
      minimumCalls: 10,
      failureRateThreshold: undefined,
      slowCallRateThreshold: undefined,
      slowCallDuration: 5_000,
      timeout: undefined,
      latencySampling: 64,
      captureStackTrace: false,
    });
    expect(Object.isFrozen(options)).toBe(true);
    expect(defaultOptions.failureThreshold).toBe(options.failureThreshold);
  });

  it('raises the default backoff cap to resetTimeout when that is longer', () => {
    expect(new CircuitBreaker('svc', { resetTimeout: 600_000 }).options.maxResetTimeout).toBe(
      600_000,
    );
  });
});

describe('resolved options shared between breakers', () => {
  it('are one frozen object for breakers given equal plain options', () => {
    const a = new CircuitBreaker('a', {
      failureThreshold: 3,
      slidingWindow: { type: 'count', size: 20 },
    });
    const b = new CircuitBreaker('b', {
      failureThreshold: 3,
      slidingWindow: { type: 'count', size: 20 },
    });
    expect(b.options).toBe(a.options);
    expect(Object.isFrozen(a.options)).toBe(true);
    expect(new CircuitBreaker('c', { failureThreshold: 4 }).options).not.toBe(a.options);
  });

  it('are never shared when an option holds a function or another object', () => {
    const isFailure = () => true;
    const clock = new FakeClock();
    expect(new CircuitBreaker('a', { isFailure }).options).not.toBe(
      new CircuitBreaker('b', { isFailure }).options,
    );
    expect(new CircuitBreaker('c', { clock }).options).not.toBe(
      new CircuitBreaker('d', { clock }).options,
    );
  });

  it('still refuse a bad value every time, and keep reconfigured breakers apart', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => new CircuitBreaker('bad', { resetTimeout: Number.POSITIVE_INFINITY })).toThrow(
        /resetTimeout/,
      );
    }
    const a = new CircuitBreaker('a', { failureThreshold: 7 });
    const b = new CircuitBreaker('b', { failureThreshold: 7 });
    a.reconfigure({ failureThreshold: 8 });
    expect(a.options.failureThreshold).toBe(8);
    expect(b.options.failureThreshold).toBe(7);
  });
});
