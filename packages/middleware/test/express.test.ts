import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitBreaker } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { circuitBreaker } from '@breakwater/middleware/express';
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
});
