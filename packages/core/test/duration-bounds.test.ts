import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  ConfigError,
  Registry,
  resolveService,
  retry,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { expectConfigError, thrownBy } from './support/config-errors';

/** 2^31 − 1 ms: the longest timer Node.js runs as asked (a longer one fires after 1 ms). */
const longest = 2_147_483_647;

/** Every breaker option that is a duration, with the options it needs beside it to be valid. */
const durations: Array<[string, (value: number) => CircuitBreakerOptions]> = [
  ['resetTimeout', (value) => ({ resetTimeout: value, maxResetTimeout: longest })],
  ['maxResetTimeout', (value) => ({ maxResetTimeout: value })],
  ['trialTimeout', (value) => ({ trialTimeout: value })],
  ['minHealthyPeriod', (value) => ({ minHealthyPeriod: value })],
  ['monitoringWindow', (value) => ({ monitoringWindow: value })],
  ['slowCallDuration', (value) => ({ slowCallDuration: value })],
  ['timeout', (value) => ({ timeout: value, trialTimeout: longest })],
  ['slidingWindow.size', (value) => ({ slidingWindow: { type: 'time', size: value } })],
  ['adaptive.halfLife', (value) => ({ adaptive: { halfLife: value } })],
];

describe('durations are bounded at 2^31 − 1 ms', () => {
  it.each(durations)(
    '%s: accepts the longest, refuses one more, naming value and bound',
    (option, build) => {
      expect(() => new CircuitBreaker('svc', build(longest))).not.toThrow();
      for (const value of [longest + 1, 9e15]) {
        const thrown = thrownBy(() => new CircuitBreaker('svc', build(value)));
        expect(thrown).toBeInstanceOf(ConfigError);
        expect(thrown).toMatchObject({ option, value });
        expect((thrown as ConfigError).message).toContain(String(longest));
      }
    },
  );

  it('says the bound in the message', () => {
    expect(() => new CircuitBreaker('svc', { resetTimeout: 9e15 })).toThrow(
      "Invalid option 'resetTimeout': 9000000000000000 (expected a duration in milliseconds from 1 to 2147483647)",
    );
  });

  it('refuses a per-call timeout of 2^31 ms, rejecting the call instead of failing it after 1 ms', async () => {
    const breaker = new CircuitBreaker('svc', { clock: new FakeClock() });
    const error = await breaker
      .execute(async () => 'ok', { timeout: 2 ** 31 })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option: 'timeout', value: 2 ** 31 });
    expect(breaker.status()).toMatchObject({ totalAttempts: 0, totalFailures: 0 });
    await expect(breaker.execute(async () => 'ok', { timeout: longest })).resolves.toBe('ok');
  });

  it('refuses a bad duration in reconfigure and keeps the options in force', () => {
    const breaker = new CircuitBreaker('svc', { resetTimeout: 5_000 });
    expectConfigError(() => breaker.reconfigure({ resetTimeout: 9e15 }), 'resetTimeout', 9e15);
    expect(breaker.options.resetTimeout).toBe(5_000);
  });

  it("refuses a bound-breaking option on a preset's service", () => {
    expectConfigError(
      () => resolveService('db', { preset: 'database', trialTimeout: 2 ** 31 }, 'services.db'),
      'services.db.trialTimeout',
      2 ** 31,
    );
  });

  it("refuses the retry policy's delays above the bound", () => {
    expectConfigError(() => retry({ initialDelay: 2 ** 31 }), 'initialDelay', 2 ** 31);
    expectConfigError(() => retry({ maxDelay: 2 ** 31 }), 'maxDelay', 2 ** 31);
  });

  it('refuses a registry staleAfter above the bound', () => {
    expectConfigError(() => new Registry({ staleAfter: 2 ** 31 }), 'staleAfter', 2 ** 31);
  });
});

describe('multipliers are bounded at 100', () => {
  it.each([
    [
      'backoffMultiplier',
      (value: number) => new CircuitBreaker('svc', { backoffMultiplier: value }),
    ],
    [
      'adaptive.deviations',
      (value: number) => new CircuitBreaker('svc', { adaptive: { deviations: value } }),
    ],
    ['multiplier', (value: number) => retry({ multiplier: value })],
  ])('%s: accepts 100, refuses 100.5 and 1e308', (option, build) => {
    expect(() => build(100)).not.toThrow();
    for (const value of [100.5, 1e308]) {
      expectConfigError(() => build(value), option, value);
      expect((thrownBy(() => build(value)) as ConfigError).expected).toContain('to 100');
    }
  });
});

describe('Registry.configure (what PATCH .../config runs)', () => {
  it('refuses a duration above the bound, audits the refusal and changes nothing', async () => {
    const registry = new Registry({ clock: new FakeClock(), services: { db: {} } });
    const actor = { id: 'ops', role: 'admin' };
    const refused = registry.configure('db', { resetTimeout: 9e15 }, actor);
    await expect(refused).rejects.toMatchObject({ option: 'resetTimeout', value: 9e15 });
    expect(registry.breaker('db').options.resetTimeout).toBe(30_000);
    const [entry] = await registry.audit();
    expect(entry).toMatchObject({ action: 'configure', target: 'db' });
    expect(entry?.outcome).toMatch(/^refused: .*2147483647/);
  });
});
