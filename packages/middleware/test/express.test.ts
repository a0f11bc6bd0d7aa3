import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { circuitBreaker, circuitOpenErrorHandler } from '@breakwater/middleware/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(app: Express): Promise<string> {
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function newBreaker(): CircuitBreaker {
  return new CircuitBreaker('market-data', { clock: new FakeClock(), failureThreshold: 1 });
}

describe('express circuitBreaker()', () => {
  it('counts a client that disconnects before the response as neither success nor failure', async () => {
    const breaker = newBreaker();
    const app = express();
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let closed: Promise<void> = Promise.resolve();
    app.get('/hang', circuitBreaker(breaker), (_request, response) => {
      closed = new Promise((resolve) => response.once('close', () => setImmediate(resolve)));
      arrived(); // never answers
    });
    const base = await listen(app);
    const abort = new AbortController();
    const request = fetch(`${base}/hang`, { signal: abort.signal }).catch(() => 'aborted');
    await arrival;
    abort.abort();
    expect(await request).toBe('aborted');
    await closed;
    const { totals } = breaker.toRecord();
    expect(totals).toMatchObject({ attempts: 1, successes: 0, failures: 0, ignored: 1 });
    expect(breaker.state).toBe('closed');
  });

  it('counts an error passed to next() by the status its error handler answers', async () => {
    const breaker = newBreaker();
    const app = express();
    app.get('/bad-input', circuitBreaker(breaker), (_request, _response, next) => {
      next(Object.assign(new Error('bad input'), { status: 400 }));
    });
    app.get('/crash', circuitBreaker(breaker), (_request, _response, next) => {
      next(new Error('crash'));
    });
    const onError: ErrorRequestHandler = (error: Error & { status?: number }, _q, response, _n) => {
      response.status(error.status ?? 500).json({ error: error.message });
    };
    app.use(onError);
    const base = await listen(app);
    expect((await fetch(`${base}/bad-input`)).status).toBe(400);
    expect((await fetch(`${base}/crash`)).status).toBe(500);
    await new Promise((resolve) => setImmediate(resolve));
    expect(breaker.state).toBe('open');
    expect(breaker.toRecord().totals).toMatchObject({ successes: 1, failures: 1 });
  });

  it('leaves routes that are not behind it unguarded', async () => {
    const breaker = newBreaker();
    breaker.forceOpen();
    const app = express();
    app.get('/guarded', circuitBreaker(breaker), (_request, response) => {
      response.json({ ok: true });
    });
    app.get('/open', (_request, response) => {
      response.json({ ok: true });
    });
    const base = await listen(app);
    expect((await fetch(`${base}/guarded`)).status).toBe(503);
    expect((await fetch(`${base}/open`)).status).toBe(200);
  });

  it("does not count a per-route guard's 503 against the app-wide guard around it", async () => {
    const gateway = new CircuitBreaker('gateway', { clock: new FakeClock(), failureThreshold: 1 });
    const marketData = newBreaker();
    marketData.forceOpen();
    const app = express();
    app.use(circuitBreaker(gateway));
    app.get('/quote', circuitBreaker(marketData), (_request, response) => {
      response.json({ ok: true });
    });
    const base = await listen(app);
    const response = await fetch(`${base}/quote`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { service: 'market-data' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(gateway.status()).toMatchObject({ state: 'closed', totalFailures: 0, totalIgnored: 1 });
  });

  it('answers an open breaker called by an unguarded route with its 503 through circuitOpenErrorHandler', async () => {
    const marketData = newBreaker();
    marketData.forceOpen();
    const app = express();
    app.get('/quote', async (_request, response) => {
      response.json(await marketData.execute(async () => ({ price: 1 })));
    });
    app.use(circuitOpenErrorHandler({ forcedOpenRetryAfter: 60_000 }));
    const base = await listen(app);
    const response = await fetch(`${base}/quote`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(await response.json()).toMatchObject({
      error: { type: 'CircuitBreakerOpen', service: 'market-data', retryAfter: 60_000 },
    });
  });

  it('passes errors other than an open circuit on to the next error handler', async () => {
    const app = express();
    app.get('/crash', () => {
      throw new Error('crash');
    });
    app.use(circuitOpenErrorHandler());
    const onError: ErrorRequestHandler = (error: Error, _q, response, _n) => {
      response.status(500).json({ error: error.message });
    };
    app.use(onError);
    const base = await listen(app);
    const response = await fetch(`${base}/crash`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'crash' });
  });
});
