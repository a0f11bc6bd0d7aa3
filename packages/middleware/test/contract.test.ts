import { CircuitBreaker, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import type { BreakerRef, MiddlewareOptions } from '@breakwater/middleware';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Composite, type Harness, harnesses } from './support/harnesses';

const resetTimeout = 10_000;

describe.each(harnesses)('%s', (_name, createHarness) => {
  let clock: FakeClock;
  let breaker: CircuitBreaker;
  let harness: Harness | undefined;

  beforeEach(() => {
    clock = new FakeClock();
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(
    ref?: BreakerRef,
    options?: MiddlewareOptions,
    composite?: Composite,
  ): Promise<Harness> {
    breaker = new CircuitBreaker('market-data', {
      clock,
      failureThreshold: 3,
      resetTimeout,
      successThreshold: 1,
    });
    harness = await createHarness(ref ?? breaker, options, composite);
    return harness;
  }

  /** A trade route's four steps, each behind its own breaker (on the test's clock). */
  function tradeSteps() {
    const inner = (name: string) =>
      new CircuitBreaker(name, {
        clock,
        failureThreshold: 2,
        resetTimeout: 20_000,
        successThreshold: 1,
      });
    const steps = {
      database: inner('database'),
      redis: inner('redis'),
      externalApi: inner('external-api'),
      solana: inner('solana-rpc'),
    };
    const trade: Composite = async () => {
      const balance = await steps.database.execute(async () => 1_000);
      const cached = await steps.redis.execute(async () => undefined);
      const price = cached ?? (await steps.externalApi.execute(async () => 102));
      return steps.solana.execute(async () => `sig-${balance}-${price}`);
    };
    return { steps, trade };
  }

  async function openByFailures(inner: CircuitBreaker): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await inner.execute(() => Promise.reject(new Error('502 Bad Gateway'))).catch(() => {});
    }
    expect(inner.state).toBe('open');
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

  describe('a route whose handler calls breakers of its own', () => {
    it('answers 503 naming the inner breaker whose circuit is open, and counts it as neither success nor failure', async () => {
      const { steps, trade } = tradeSteps();
      const app = await start(undefined, undefined, trade);
      expect((await app.get('/composite')).body).toEqual({ result: 'sig-1000-102' });
      await openByFailures(steps.externalApi);
      clock.advance(5_000);
      for (let i = 0; i < 5; i++) {
        const reply = await app.get('/composite');
        expect(reply.status).toBe(503);
        expect(reply.headers['retry-after']).toBe('15');
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        expect(reply.body).toEqual({
          error: {
            type: 'CircuitBreakerOpen',
            service: 'external-api',
            message:
              "Service 'external-api' is temporarily unavailable: its circuit is open; retry in 15000 ms",
            retryAfter: 15_000,
          },
        });
      }
      // Five rejections, more than the route's failureThreshold of 3: its circuit stays closed.
      expect(breaker.status()).toMatchObject({
        state: 'closed',
        totalSuccesses: 1,
        totalFailures: 0,
        totalIgnored: 5,
      });
      expect(steps.solana.status().totalAttempts).toBe(1);
      expect(app.calls).toBe(6);

      clock.advance(15_000); // the inner trial succeeds, and so does the route
      expect((await app.get('/composite')).status).toBe(200);
      expect(steps.externalApi.state).toBe('closed');
      expect(breaker.status()).toMatchObject({ totalSuccesses: 2, totalFailures: 0 });
    });

    it("answers an inner breaker forced open with the route's forced-open hint", async () => {
      const { steps, trade } = tradeSteps();
      const app = await start(undefined, { forcedOpenRetryAfter: 45_000 }, trade);
      steps.solana.forceOpen();
      const reply = await app.get('/composite');
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('45');
      expect(reply.body).toMatchObject({
        error: { type: 'CircuitBreakerOpen', service: 'solana-rpc', retryAfter: 45_000 },
      });
      expect(breaker.status()).toMatchObject({ totalFailures: 0, totalIgnored: 1 });
    });

    it("neither closes nor reopens the route's half-open circuit, and frees its trial", async () => {
      const { steps, trade } = tradeSteps();
      const app = await start(undefined, undefined, trade);
      await trip(app);
      await openByFailures(steps.database);
      clock.advance(resetTimeout);
      const reply = await app.get('/composite');
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ error: { service: 'database' } });
      expect(breaker.state).toBe('half-open');
      expect((await app.get('/status/200')).status).toBe(200); // the trial permit was released
      expect(breaker.state).toBe('closed');
    });
  });
});
