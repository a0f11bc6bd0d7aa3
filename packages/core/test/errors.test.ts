import { readFileSync } from 'node:fs';
import {
  BreakwaterError,
  BulkheadFullError,
  CallTimeoutError,
  CircuitBreaker,
  CircuitOpenError,
  ConfigError,
  errorCodes,
  isBreakwaterError,
  isCircuitOpenError,
  isRegistryClosedError,
  isStoreClosedError,
  isStoreUnavailableError,
  RateLimitedError,
  RegistryClosedError,
  StoreClosedError,
  StoreUnavailableError,
  UnknownServiceError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { callTimes, fail, outcome, succeed } from './support/calls';

async function openBreaker(options: { captureStackTrace?: boolean } = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('payments', {
    failureThreshold: 1,
    resetTimeout: 30_000,
    clock,
    ...options,
  });
  await callTimes(breaker, 1, fail());
  clock.advance(10_000);
  return { clock, breaker, error: await outcome(breaker.execute(succeed())) };
}

describe('CircuitOpenError', () => {
  it('carries the breaker name, the state and retryAfter in ms', async () => {
    const { error } = await openBreaker();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toBeInstanceOf(BreakwaterError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'CircuitOpenError',
      code: 'BW_CIRCUIT_OPEN',
      breaker: 'payments',
      state: 'open',
      retryAfter: 20_000,
    });
    expect((error as Error).message).toBe("Circuit 'payments' is open; next trial in 20000 ms");
  });

  it('tells a known outage from a failed call without reading the message', async () => {
    const { breaker, error } = await openBreaker();
    expect(isCircuitOpenError(error)).toBe(true);
    breaker.reset();
    const callFailure = await outcome(breaker.execute(fail('Circuit breaker is OPEN (a lie)')));
    expect(isCircuitOpenError(callFailure)).toBe(false);
  });

  it('has a readable stack line without capturing one by default, and a real stack when asked', async () => {
    const cheap = (await openBreaker()).error as Error;
    expect(cheap.stack).toMatch(/^CircuitOpenError: Circuit 'payments' is open/);
    expect(Object.prototype.toString.call(cheap)).toBe('[object Error]');
    const full = (await openBreaker({ captureStackTrace: true })).error as Error;
    expect(full.stack).toMatch(/errors\.test\.ts|circuit-breaker\.ts/);
    expect(isCircuitOpenError(full)).toBe(true);
  });

  it('serialises its fields to JSON', async () => {
    const { error } = await openBreaker();
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: 'BW_CIRCUIT_OPEN',
      breaker: 'payments',
      retryAfter: 20_000,
    });
  });
});

describe('guards', () => {
  it('recognise errors thrown by a second copy of the package', async () => {
    vi.resetModules();
    const copy = (await import('../src/index')) as typeof import('@breakwater/core');
    expect(copy.CircuitOpenError).not.toBe(CircuitOpenError);
    const foreign = new copy.CircuitOpenError('svc', 'open', 5);
    expect(foreign).not.toBeInstanceOf(CircuitOpenError);
    expect(isCircuitOpenError(foreign)).toBe(true);
    expect(isBreakwaterError(new copy.ConfigError('x', 1, 'y'))).toBe(true);
    expect(copy.isCircuitOpenError(new CircuitOpenError('svc', 'open', 5))).toBe(true);
  });

  it('reject look-alikes and other Breakwater errors', () => {
    expect(isCircuitOpenError({ code: 'BW_CIRCUIT_OPEN' })).toBe(false);
    expect(isCircuitOpenError(new Error('Circuit breaker is OPEN'))).toBe(false);
    expect(isCircuitOpenError(new CallTimeoutError('svc', 5))).toBe(false);
    expect(isCircuitOpenError(null)).toBe(false);
  });
});

describe('error catalogue', () => {
  it('documents every error code in docs/errors.md', () => {
    const page = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...page.matchAll(/`(BW_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(new Set(documented)).toEqual(new Set(Object.values(errorCodes)));
  });

  it('gives every error a stable code and keeps the cause', () => {
    const cause = new Error('root');
    const error = new BreakwaterError(errorCodes.invalidConfig, 'wrapped', { cause });
    expect(error.cause).toBe(cause);
    expect(new ConfigError('resetTimeout', -1, 'a duration').code).toBe('BW_INVALID_CONFIG');
    expect(new CallTimeoutError('svc', 10).code).toBe('BW_CALL_TIMEOUT');
  });
});

const errorsPage = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** The class each row of the docs' table names for a code. */
function documentedClass(code: string): string | undefined {
  return new RegExp(`^\\| \`${code}\` \\| \`(\\w+)\``, 'm').exec(errorsPage)?.[1];
}

// One of every error the core throws.
const samples: readonly BreakwaterError[] = [
  new CircuitOpenError('payments', 'open', 100),
  new CallTimeoutError('payments', 50),
  new ConfigError('resetTimeout', -1, 'a duration'),
  new BulkheadFullError(4, 8),
  new RateLimitedError(250),
  new UnknownServiceError('nowhere'),
  new RegistryClosedError(),
  new StoreClosedError('MemoryStore'),
  new StoreUnavailableError('Redis at redis://127.0.0.1:6379', 'connection lost'),
];

describe('error catalogue rows', () => {
  it.each(samples.map((error) => [error.code, error] as const))(
    'has a row for %s naming its class',
    (code, error) => {
      expect(documentedClass(code)).toBe(error.name);
    },
  );

  it('has a row of five cells for every code', () => {
    for (const code of Object.values(errorCodes)) {
      const row = errorsPage.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      // Escaped pipes (`\|`) inside a cell do not separate cells.
      expect(row?.split(/(?<!\\)\|/).length, code).toBe(7);
    }
  });
});

describe('registry and store errors', () => {
  it('RegistryClosedError: BW_REGISTRY_CLOSED, told apart by isRegistryClosedError', () => {
    const error = new RegistryClosedError();
    expect(error).toMatchObject({ code: 'BW_REGISTRY_CLOSED', name: 'RegistryClosedError' });
    expect(error.message).toBe('The registry is closed');
    expect(isRegistryClosedError(error)).toBe(true);
    expect(isRegistryClosedError(new StoreClosedError('MemoryStore'))).toBe(false);
  });

  it('StoreClosedError: BW_STORE_CLOSED, naming the store', () => {
    const error = new StoreClosedError("LocalStore 'x.db'");
    expect(error).toMatchObject({ code: 'BW_STORE_CLOSED', store: "LocalStore 'x.db'" });
    expect(error.message).toBe("LocalStore 'x.db' is closed");
    expect(isStoreClosedError(error)).toBe(true);
    expect(isStoreClosedError(new RegistryClosedError())).toBe(false);
  });

  it('StoreUnavailableError: BW_STORE_UNAVAILABLE, naming the store and the reason, with the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new StoreUnavailableError('Redis at redis://h:1', 'not ready', { cause });
    expect(error).toMatchObject({
      code: 'BW_STORE_UNAVAILABLE',
      store: 'Redis at redis://h:1',
      reason: 'not ready',
    });
    expect(error.message).toBe('Redis at redis://h:1 is unavailable: not ready');
    expect(error.cause).toBe(cause);
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(isStoreUnavailableError(cause)).toBe(false);
  });

  it('are recognised when thrown by a second copy of the package', async () => {
    vi.resetModules();
    const copy = (await import('../src/index')) as typeof import('@breakwater/core');
    expect(copy.RegistryClosedError).not.toBe(RegistryClosedError);
    expect(isRegistryClosedError(new copy.RegistryClosedError())).toBe(true);
    expect(isStoreClosedError(new copy.StoreClosedError('MemoryStore'))).toBe(true);
    expect(isStoreUnavailableError(new copy.StoreUnavailableError('db', 'down'))).toBe(true);
    expect(isBreakwaterError(new copy.StoreClosedError('MemoryStore'))).toBe(true);
    expect(copy.isStoreClosedError(new StoreClosedError('MemoryStore'))).toBe(true);
  });
});
