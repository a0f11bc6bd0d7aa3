import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { circuitBreakerPlugin } from '@breakwater/middleware/fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

function newBreaker(): CircuitBreaker {
  return new CircuitBreaker('market-data', { clock: new FakeClock(), failureThreshold: 1 });
}

describe('fastify circuitBreakerPlugin', () => {
  it('guards the routes of the scope it is registered in, and no others', async () => {
    const breaker = newBreaker();
    breaker.forceOpen();
    const app = Fastify();
    app.register(async (scope) => {
      await scope.register(circuitBreakerPlugin, { breaker });
      scope.get('/guarded', async () => ({ ok: true }));
    });
    app.get('/health', async () => ({ ok: true }));
    expect((await app.inject('/guarded')).statusCode).toBe(503);
    expect((await app.inject('/health')).statusCode).toBe(200);
    await app.close();
  });

  it('counts a thrown error even when the error handler answers 4xx', async () => {
    const breaker = newBreaker();
    const app = Fastify();
    app.register(async (scope) => {
      await scope.register(circuitBreakerPlugin, { breaker });
      scope.setErrorHandler((error: Error, _request, reply) =>
        reply.code(400).send({ error: error.message }),
      );
      scope.get('/throw', async () => {
        throw new Error('upstream broke');
      });
    });
    expect((await app.inject('/throw')).statusCode).toBe(400);
    await new Promise((resolve) => setImmediate(resolve));
    expect(breaker.state).toBe('open');
    expect(breaker.status()).toMatchObject({ state: 'open' });
    await app.close();
  });
});
