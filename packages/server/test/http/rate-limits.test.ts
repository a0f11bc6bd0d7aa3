import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, createHttpApi, RequestLimits } from '../../src/index';
import { bearer, token } from './fixture';

const secret = 'http-test-secret-that-is-long-enough-42';

/** The API over a one-service registry, its limits on a fake clock, reports collected. */
function api(limits: { authFailuresPerMinute?: number; adminActionsPerMinute?: number } = {}) {
  const clock = new FakeClock();
  const registry = new Registry({ clock, services: { db: {} } });
  const authenticator = createAuthenticator(
    { algorithm: 'HS256' },
    { BREAKWATER_JWT_SECRET: secret },
  );
  const reports: string[] = [];
  const requestLimits = new RequestLimits({
    ...limits,
    clock,
    report: (line) => reports.push(line),
  });
  const app = createHttpApi({ registry, authenticator, limits: requestLimits });
  /** A request as `@hono/node-server` hands it over: with the client's socket. */
  const from = (address: string, path: string, init: RequestInit = {}) =>
    app.request(path, init, { incoming: { socket: { remoteAddress: address } } });
  return { clock, registry, app, from, reports };
}

const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.bm9wZQ';

describe('failed authentication per client address', () => {
  it('answers 429 with Retry-After once an address has presented 20 bad tokens in a minute', async () => {
    const { clock, from } = api();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await from('203.0.113.7', '/api/circuit-breakers/health', {
        headers: bearer(forged),
      });
      statuses.push(response.status);
    }
    expect(new Set(statuses)).toEqual(new Set([401]));

    clock.advance(18_000);
    const refused = await from('203.0.113.7', '/api/circuit-breakers/health', {
      headers: bearer(forged),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('42');
    expect(await refused.json()).toEqual({
      error: {
        code: 'TOO_MANY_REQUESTS',
        message:
          'Too many failed authentications from this address: 20 failed authentications a minute (server.authFailuresPerMinute); try again in 42 s',
        retryAfter: 42,
      },
    });
  });

  it('turns the address away even with a good token until its minute ends, and no other address', async () => {
    const { clock, from } = api({ authFailuresPerMinute: 2 });
    const good = { headers: bearer(await token('alice', 'viewer')) };
    for (let i = 0; i < 2; i++)
      await from('203.0.113.7', '/api/circuit-breakers/health', { headers: bearer(forged) });
    expect((await from('203.0.113.7', '/api/circuit-breakers/health', good)).status).toBe(429);
    expect((await from('198.51.100.1', '/api/circuit-breakers/health', good)).status).toBe(200);
    clock.advance(60_000);
    expect((await from('203.0.113.7', '/api/circuit-breakers/health', good)).status).toBe(200);
  });

  it('does not count requests without a token, nor refusals of a good token for its role', async () => {
    const { from } = api({ authFailuresPerMinute: 2 });
    const viewer = { headers: bearer(await token('bob', 'viewer')), method: 'POST' };
    for (let i = 0; i < 10; i++) {
      expect((await from('203.0.113.7', '/api/circuit-breakers/health')).status).toBe(401);
      expect((await from('203.0.113.7', '/api/circuit-breakers/db/reset', viewer)).status).toBe(
        403,
      );
    }
  });

  it('leaves the public routes open to a refused address', async () => {
    const { from } = api({ authFailuresPerMinute: 1 });
    await from('203.0.113.7', '/api/circuit-breakers/health', { headers: bearer(forged) });
    expect((await from('203.0.113.7', '/api/circuit-breakers/health')).status).toBe(429);
    expect((await from('203.0.113.7', '/api/health/circuit-breaker')).status).toBe(200);
    expect((await from('203.0.113.7', '/metrics')).status).toBe(200);
  });

  it('does not limit requests whose address is unknown (served by another server), so no client locks out all', async () => {
    const { app } = api({ authFailuresPerMinute: 1 });
    const good = { headers: bearer(await token('alice', 'viewer')) };
    for (let i = 0; i < 3; i++)
      await app.request('/api/circuit-breakers/health', { headers: bearer(forged) });
    expect((await app.request('/api/circuit-breakers/health', good)).status).toBe(200);
  });

  it('reports the refusals without the token', async () => {
    const { from, reports } = api({ authFailuresPerMinute: 1 });
    for (let i = 0; i < 12; i++)
      await from('203.0.113.7', '/api/circuit-breakers/health', { headers: bearer(forged) });
    expect(reports).toEqual([
      expect.stringMatching(/^refused a request from 203\.0\.113\.7 this minute/),
      expect.stringMatching(/^refused 10 requests from 203\.0\.113\.7 this minute/),
    ]);
    expect(reports.join('\n')).not.toContain(forged);
  });
});

describe('admin actions per token subject and address', () => {
  it('allows 60 a minute by default, answers 429 to the 61st, and counts no reads', async () => {
    const { clock, from, registry } = api();
    const admin = bearer(await token('ops', 'admin'));
    for (let i = 0; i < 60; i++) {
      const reset = await from('10.0.0.1', '/api/circuit-breakers/db/reset', {
        method: 'POST',
        headers: admin,
      });
      expect(reset.status).toBe(200);
      expect((await from('10.0.0.1', '/api/audit?limit=1', { headers: admin })).status).toBe(200);
    }
    const refused = await from('10.0.0.1', '/api/circuit-breakers/db/force-open', {
      method: 'POST',
      headers: admin,
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(registry.breaker('db').state).toBe('closed');

    // Another admin, or the same one elsewhere, has a budget of its own.
    const other = bearer(await token('alice', 'admin'));
    const post = { method: 'POST' };
    expect(
      (await from('10.0.0.1', '/api/circuit-breakers/db/reset', { ...post, headers: other }))
        .status,
    ).toBe(200);
    expect(
      (await from('10.0.0.2', '/api/circuit-breakers/db/reset', { ...post, headers: admin }))
        .status,
    ).toBe(200);

    clock.advance(60_000);
    const later = await from('10.0.0.1', '/api/circuit-breakers/db/force-open', {
      method: 'POST',
      headers: admin,
    });
    expect(later.status).toBe(200);
    expect(registry.breaker('db').state).toBe('forced-open');
  });

  it('counts a configuration change too', async () => {
    const { from } = api({ adminActionsPerMinute: 1 });
    const headers = { ...bearer(await token('ops', 'admin')), 'content-type': 'application/json' };
    const patch = { method: 'PATCH', headers, body: '{"failureThreshold":3}' };
    expect((await from('10.0.0.1', '/api/circuit-breakers/db/config', patch)).status).toBe(200);
    expect((await from('10.0.0.1', '/api/circuit-breakers/db/config', patch)).status).toBe(429);
  });
});
