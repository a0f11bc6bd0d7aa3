import { CircuitBreaker, ConfigError, isBreakwaterError } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { FailureStatusError, isFailureStatusError } from '@breakwater/middleware';
import { circuitOpenResponse, withCircuitBreaker } from '@breakwater/middleware/fetch';
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

  it('records a failure response as a FailureStatusError carrying the status', async () => {
    const breaker = newBreaker();
    const recorded: unknown[] = [];
    breaker.on('failure', (event) => recorded.push(event.error));
    const handler = withCircuitBreaker(
      breaker,
      () => new Response('upstream down', { status: 502 }),
    );
    await handler(new Request('http://localhost/'));
    const [error] = recorded;
    expect(error).toBeInstanceOf(FailureStatusError);
    expect(isFailureStatusError(error)).toBe(true);
    expect(isBreakwaterError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'FailureStatusError',
      code: 'BW_FAILURE_STATUS',
      status: 502,
      message: 'The route answered with failure status 502',
    });
    expect(isFailureStatusError(new Error('The route answered with failure status 502'))).toBe(
      false,
    );
  });

  it('throws a ConfigError naming handler when it is not a function', () => {
    const breaker = newBreaker();
    const build = () => withCircuitBreaker(breaker, 'app.fetch' as never);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('Invalid option \'handler\': "app.fetch" (expected a function)');
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

  it('answers a CircuitOpenError thrown by a breaker the handler called with its 503, counting it as ignored', async () => {
    const inner = newBreaker();
    inner.forceOpen();
    const outer = new CircuitBreaker('gateway', { clock: new FakeClock(), failureThreshold: 1 });
    const handler = withCircuitBreaker(outer, () => inner.execute(() => new Response('never')));
    const response = await handler(new Request('http://localhost/'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(outer.options.resetTimeout / 1000));
    expect(await response.json()).toMatchObject({
      error: { type: 'CircuitBreakerOpen', service: 'market-data' },
    });
    expect(outer.status()).toMatchObject({ state: 'closed', totalFailures: 0, totalIgnored: 1 });
  });

  it("does not count a nested guard's 503 as a failure of the guard around it", async () => {
    const inner = newBreaker();
    inner.forceOpen();
    const outer = new CircuitBreaker('gateway', { clock: new FakeClock(), failureThreshold: 1 });
    const handler = withCircuitBreaker(
      outer,
      withCircuitBreaker(inner, () => new Response('never')),
    );
    const response = await handler(new Request('http://localhost/'));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { service: 'market-data' } });
    expect(outer.status()).toMatchObject({ state: 'closed', totalFailures: 0, totalIgnored: 1 });
  });

  it('builds the 503 for a CircuitOpenError with circuitOpenResponse, and nothing for other errors', async () => {
    const inner = newBreaker();
    inner.forceOpen();
    const rejection = await inner.execute(() => 'never').catch((error: unknown) => error);
    const response = circuitOpenResponse(rejection, { forcedOpenRetryAfter: 12_000 });
    expect(response?.status).toBe(503);
    expect(response?.headers.get('retry-after')).toBe('12');
    expect(circuitOpenResponse(new Error('boom'))).toBeUndefined();
    expect(() => circuitOpenResponse(rejection, { forcedOpenRetryAfter: -1 })).toThrow(
      /forcedOpenRetryAfter/,
    );
  });
});
