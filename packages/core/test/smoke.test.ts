import { CircuitBreaker, isCircuitOpenError } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { expect, it } from 'vitest';

it('opens after consecutive failures and rejects with a CircuitOpenError', async () => {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('payments', {
    failureThreshold: 2,
    resetTimeout: 1000,
    clock,
  });
  const fail = () => Promise.reject(new Error('boom'));
  await expect(breaker.execute(fail)).rejects.toThrow('boom');
  await expect(breaker.execute(fail)).rejects.toThrow('boom');
  const rejection = await breaker.execute(fail).catch((error: unknown) => error);
  expect(isCircuitOpenError(rejection)).toBe(true);
  expect(breaker.status().state).toBe('open');
});
