import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { circuitBreakerHooks, circuitBreakerPlugin } from '@breakwater/middleware/fastify';
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

  it("answers a breaker's CircuitOpenError thrown by the handler with its 503, whatever the error handler answered", async () => {
    const route = newBreaker();
    const solana = new CircuitBreaker('solana-rpc', { clock: new FakeClock() });
    solana.forceOpen();
    const app = Fastify();
    app.register(async (scope) => {
      await scope.register(circuitBreakerPlugin, { breaker: route });
      scope.setErrorHandler((error: Error, _request, reply) =>
        reply.code(500).send({ error: error.message }),
      );
      scope.get('/trade', async () => solana.execute(async () => 'signature'));
    });
    const response = await app.inject('/trade');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(route.options.resetTimeout / 1000));
    expect(response.json()).toMatchObject({
      error: { type: 'CircuitBreakerOpen', service: 'solana-rpc' },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(route.status()).toMatchObject({ state: 'closed', totalFailures: 0, totalIgnored: 1 });
    await app.close();
  });

  it("does not count a route's own guard's 503 against the plugin's guard around it", async () => {
    const gateway = new CircuitBreaker('gateway', { clock: new FakeClock(), failureThreshold: 1 });
    const marketData = newBreaker();
    marketData.forceOpen();
    const app = Fastify();
    app.register(async (scope) => {
      await scope.register(circuitBreakerPlugin, { breaker: gateway });
      scope.get('/quote', { ...circuitBreakerHooks(marketData) }, async () => ({ ok: true }));
    });
    const response = await app.inject('/quote');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { service: 'market-data' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(gateway.status()).toMatchObject({ state: 'closed', totalFailures: 0, totalIgnored: 1 });
    await app.close();
  });
});
