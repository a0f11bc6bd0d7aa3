import { CircuitBreaker, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import type { BreakerRef, MiddlewareOptions } from '@breakwater/middleware';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harnesses } from './support/harnesses';

const resetTimeout = 10_000;

describe.each(harnesses)('%s', (_name, createHarness) => {
  let clock: FakeClock;
  let breaker: CircuitBreaker;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(ref?: BreakerRef, options?: MiddlewareOptions): Promise<Harness> {
    clock = new FakeClock();
    breaker = new CircuitBreaker('market-data', {
      clock,
      failureThreshold: 3,
      resetTimeout,
      successThreshold: 1,
    });
    harness = await createHarness(ref ?? breaker, options);
    return harness;
  }

  async function trip(app: Harness): Promise<void> {
    for (let i = 0; i < 3; i++) expect((await app.get('/status/500')).status).toBe(500);
    expect(breaker.state).toBe('open');
  }

  it('passes requests through while the circuit is closed', async () => {
    const app = await start();
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 200 });
    expect(reply.headers['retry-after']).toBeUndefined();
    expect(app.calls).toBe(1);
    expect(breaker.status()).toMatchObject({ state: 'closed' });
  });

  it('does not count 4xx responses as failures', async () => {
    const app = await start();
    for (let i = 0; i < 5; i++) expect((await app.get('/status/404')).status).toBe(404);
    expect(breaker.state).toBe('closed');
    expect(app.calls).toBe(5);
  });

  it('counts 5xx responses and opens the circuit at the threshold', async () => {
    const app = await start();
    expect((await app.get('/status/502')).status).toBe(502);
    expect((await app.get('/status/503')).status).toBe(503);
    expect(breaker.state).toBe('closed');
    expect((await app.get('/status/500')).status).toBe(500);
    expect(breaker.state).toBe('open');
    expect(app.calls).toBe(3);
  });

  it('counts a thrown error as a failure', async () => {
    const app = await start();
    for (let i = 0; i < 3; i++) expect((await app.get('/throw')).status).toBe(500);
    expect(breaker.state).toBe('open');
  });

  it('answers 503 with Retry-After and the seed 001 body while open, without running the route', async () => {
    const app = await start();
    await trip(app);
    clock.advance(2_500);
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('8'); // 7 500 ms, rounded up to whole seconds
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toEqual({
      error: {
        type: 'CircuitBreakerOpen',
        service: 'market-data',
        message:
          "Service 'market-data' is temporarily unavailable: its circuit is open; retry in 7500 ms",
        retryAfter: 7_500,
      },
    });
    expect(app.calls).toBe(3);
  });

  it("answers 503 with the breaker's reset timeout as Retry-After while forced open", async () => {
    const app = await start();
    breaker.forceOpen();
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe(String(breaker.options.resetTimeout / 1000));
    expect(reply.body).toEqual({
      error: {
        type: 'CircuitBreakerOpen',
        service: 'market-data',
        message:
          "Service 'market-data' is temporarily unavailable: its circuit is forced open until released",
        retryAfter: breaker.options.resetTimeout,
      },
    });
    expect(app.calls).toBe(0);
    breaker.release();
    expect((await app.get('/status/200')).status).toBe(200);
  });

  it('answers the forcedOpenRetryAfter option as Retry-After while forced open', async () => {
    const app = await start(undefined, { forcedOpenRetryAfter: 90_500 });
    breaker.forceOpen();
    const reply = await app.get('/status/200');
    expect(reply.headers['retry-after']).toBe('91');
    expect(reply.body).toMatchObject({ error: { retryAfter: 90_500 } });
  });

  it('lets a trial through after the reset timeout, and closes when it succeeds', async () => {
    const app = await start();
    await trip(app);
    clock.advance(resetTimeout - 1);
    expect((await app.get('/status/200')).status).toBe(503);
    clock.advance(1);
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 200 });
    expect(breaker.state).toBe('closed');
    expect(app.calls).toBe(4);
  });

  it('reopens when the trial answers 5xx', async () => {
    const app = await start();
    await trip(app);
    clock.advance(resetTimeout);
    expect((await app.get('/status/500')).status).toBe(500);
    expect(breaker.state).toBe('open');
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('20'); // the open period backs off: 2 × 10 s
  });

  it('uses isFailureStatus to decide which statuses count', async () => {
    const app = await start(undefined, { isFailureStatus: (status) => status === 429 });
    for (let i = 0; i < 3; i++) expect((await app.get('/status/500')).status).toBe(500);
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 3; i++) expect((await app.get('/status/429')).status).toBe(429);
    expect(breaker.state).toBe('open');
  });

  it('guards with a registry service given as { registry, service }', async () => {
    const registryClock = new FakeClock();
    const registry = new Registry({
      clock: registryClock,
      services: { quotes: { failureThreshold: 2, resetTimeout: 5_000 } },
    });
    const app = await start({ registry, service: 'quotes' });
    for (let i = 0; i < 2; i++) await app.get('/status/500');
    expect(registry.breaker('quotes').state).toBe('open');
    const reply = await app.get('/status/200');
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.body).toMatchObject({ error: { service: 'quotes', retryAfter: 5_000 } });
  });
});
