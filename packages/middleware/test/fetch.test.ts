import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { withCircuitBreaker } from '@breakwater/middleware/fetch';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';

function newBreaker(): CircuitBreaker {
  return new CircuitBreaker('market-data', { clock: new FakeClock(), failureThreshold: 1 });
}

describe('withCircuitBreaker', () => {
  it('returns a failure response as is, and counts it', async () => {
    const breaker = newBreaker();
    const failed = new Response('upstream down', { status: 502 });
    const handler = withCircuitBreaker(breaker, () => failed);
    expect(await handler(new Request('http://localhost/'))).toBe(failed);
    expect(breaker.state).toBe('open');
  });

  it('rethrows what the handler throws, and counts it', async () => {
    const breaker = newBreaker();
    const boom = new Error('boom');
    const handler = withCircuitBreaker(breaker, () => {
      throw boom;
    });
    await expect(handler(new Request('http://localhost/'))).rejects.toBe(boom);
    expect(breaker.state).toBe('open');
  });

  it("passes Hono's env and execution context through to app.fetch", async () => {
    const app = new Hono<{ Bindings: { REGION: string } }>();
    app.get('/', (c) => c.text(c.env.REGION));
    const handler = withCircuitBreaker(newBreaker(), app.fetch);
    const response = await handler(new Request('http://localhost/'), { REGION: 'eu-west' });
    expect(await response.text()).toBe('eu-west');
  });

  it('answers the 503 as a real Response with its headers', async () => {
    const breaker = newBreaker();
    breaker.forceOpen();
    const handler = withCircuitBreaker(breaker, () => new Response('never'));
    const response = await handler(new Request('http://localhost/'));
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('retry-after')).toBe(String(breaker.options.resetTimeout / 1000));
  });

  it('treats a CircuitOpenError thrown by a nested breaker as the route failing, not as its own rejection', async () => {
    const inner = newBreaker();
    inner.forceOpen();
    const outer = new CircuitBreaker('gateway', { clock: new FakeClock(), failureThreshold: 1 });
    const handler = withCircuitBreaker(outer, () => inner.execute(() => new Response('never')));
    await expect(handler(new Request('http://localhost/'))).rejects.toMatchObject({
      breaker: 'market-data',
    });
    expect(outer.state).toBe('open');
  });
});
