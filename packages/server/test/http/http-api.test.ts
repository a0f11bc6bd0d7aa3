import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, createHttpApi } from '../../src/index';
import { bearer, fixture, token } from './fixture';

interface ErrorJson {
  error: { code: string; message: string; option?: string; value?: unknown };
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function fail(registry: ReturnType<typeof fixture>['registry'], name: string) {
  await registry
    .breaker(name)
    .execute(async () => {
      throw new Error('boom');
    })
    .catch(() => undefined);
}

describe('GET /api/health/circuit-breaker (public)', () => {
  it('is healthy with stats when nothing failed, without a token', async () => {
    const { app, registry } = fixture();
    await registry.breaker('payments').execute(async () => 'ok');
    const response = await app.request('/api/health/circuit-breaker');
    expect(response.status).toBe(200);
    const body = await json<{ status: string; timestamp: string; stats: Record<string, number> }>(
      response,
    );
    expect(body.status).toBe('healthy');
    expect(body.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(body.stats).toEqual({ total: 3, healthy: 1, degraded: 0, failed: 0, unknown: 2 });
  });

  it('is degraded when a service is failed (and its dependants degraded)', async () => {
    const { app, registry } = fixture();
    await registry.forceOpen('database');
    const body = await json<{ status: string; stats: Record<string, number> }>(
      await app.request('/api/health/circuit-breaker'),
    );
    expect(body.status).toBe('degraded');
    expect(body.stats).toMatchObject({ total: 3, failed: 1, degraded: 1 });
    expect(body).not.toHaveProperty('circuitBreaker'); // three breakers: ask for one with ?service=
  });

  it("gives one service's circuitBreaker stats beside its status with ?service=", async () => {
    const { app, registry, clock } = fixture();
    await registry.breaker('payments').execute(async () => 'ok');
    const healthy = await json<Record<string, unknown>>(
      await app.request('/api/health/circuit-breaker?service=payments'),
    );
    expect(healthy).toEqual({
      status: 'healthy',
      timestamp: '2026-01-01T00:00:00.000Z',
      circuitBreaker: {
        name: 'payments',
        state: 'closed',
        failures: 0,
        successes: 1,
        lastFailureTime: null,
        totalAttempts: 1,
        totalFailures: 0,
        totalSuccesses: 1,
      },
    });
    clock.advance(1_000);
    await registry.forceOpen('payments');
    const degraded = await json<{ status: string; circuitBreaker: Record<string, unknown> }>(
      await app.request('/api/health/circuit-breaker?service=payments'),
    );
    expect(degraded.status).toBe('degraded');
    expect(degraded.circuitBreaker).toMatchObject({ name: 'payments', state: 'forced-open' });
  });

  it('answers 404 BW_UNKNOWN_SERVICE for ?service= of an unknown service', async () => {
    const { app } = fixture();
    const response = await app.request('/api/health/circuit-breaker?service=nope');
    expect(response.status).toBe(404);
    expect((await json<ErrorJson>(response)).error).toMatchObject({
      code: 'BW_UNKNOWN_SERVICE',
      service: 'nope',
    });
  });
});

describe("the payment worker's health route: one breaker guarding the developer portal", () => {
  function paymentWorker() {
    const clock = new FakeClock();
    const registry = new Registry({
      clock,
      services: {
        'developer-portal': { failureThreshold: 5, successThreshold: 2, resetTimeout: 30_000 },
      },
    });
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'payment-worker-secret-that-is-long-enough' },
    );
    return { clock, registry, app: createHttpApi({ registry, authenticator }) };
  }

  it('is healthy with the breaker stats while the circuit is closed', async () => {
    const { app, registry } = paymentWorker();
    const portal = registry.breaker('developer-portal');
    for (let i = 0; i < 3; i++) await portal.execute(async () => ({ transaction: i }));
    const body = await json<Record<string, unknown>>(
      await app.request('/api/health/circuit-breaker'),
    );
    expect(body).toMatchObject({
      status: 'healthy',
      circuitBreaker: {
        name: 'developer-portal',
        state: 'closed',
        failures: 0,
        successes: 3,
        lastFailureTime: null,
        totalAttempts: 3,
        totalFailures: 0,
        totalSuccesses: 3,
      },
    });
  });

  it('is degraded once five failures open the circuit, with the stats of the outage', async () => {
    const { app, registry, clock } = paymentWorker();
    const portal = registry.breaker('developer-portal');
    await portal.execute(async () => 'ok');
    clock.advance(60_000);
    for (let i = 0; i < 5; i++)
      await portal.execute(async () => Promise.reject(new Error('ETIMEDOUT'))).catch(() => {});
    const body = await json<{ status: string; circuitBreaker: Record<string, unknown> }>(
      await app.request('/api/health/circuit-breaker'),
    );
    expect(body.status).toBe('degraded');
    expect(body.circuitBreaker).toEqual({
      name: 'developer-portal',
      state: 'open',
      failures: 5,
      successes: 0,
      lastFailureTime: Date.parse('2026-01-01T00:01:00.000Z'),
      totalAttempts: 6,
      totalFailures: 5,
      totalSuccesses: 1,
    });
    // A public route: the error message stays behind the viewer routes.
    expect(JSON.stringify(body)).not.toContain('ETIMEDOUT');
  });
});

describe('GET /api/circuit-breakers/health (viewer)', () => {
  it('lists every breaker with its name and status fields', async () => {
    const { app, registry } = fixture();
    await fail(registry, 'database');
    const response = await app.request('/api/circuit-breakers/health', {
      headers: bearer(await token('vera', 'viewer')),
    });
    expect(response.status).toBe(200);
    const body = await json<{ timestamp: string; breakers: Record<string, unknown>[] }>(response);
    expect(body.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(body.breakers.map((breaker) => breaker.name)).toEqual([
      'database',
      'market-data',
      'payments',
    ]);
    expect(body.breakers[0]).toMatchObject({
      name: 'database',
      state: 'closed',
      failureCount: 1,
      totalFailures: 1,
      health: 'degraded',
    });
    expect(body.breakers[0]).toHaveProperty('latency');
    expect(body.breakers[0]).toHaveProperty('recoveryAttempts', 0);
  });

  it('answers 401 without a token, with a bad token, and with an expired one', async () => {
    const { app } = fixture();
    const none = await app.request('/api/circuit-breakers/health');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await json<ErrorJson>(none)).error.code).toBe('UNAUTHORIZED');
    const bad = await app.request('/api/circuit-breakers/health', { headers: bearer('garbage') });
    expect(bad.status).toBe(401);
    const expired = await token('vera', 'viewer', Math.floor(Date.now() / 1000) - 10);
    const late = await app.request('/api/circuit-breakers/health', { headers: bearer(expired) });
    expect(late.status).toBe(401);
    const body = await json<ErrorJson>(late);
    expect(body.error.code).toBe('TOKEN_EXPIRED');
    expect(JSON.stringify(body)).not.toContain(expired);
  });

  it('answers 401 for a token with an unknown role, or another auth scheme', async () => {
    const { app } = fixture();
    const root = await token('x', 'root');
    expect(
      (await app.request('/api/circuit-breakers/health', { headers: bearer(root) })).status,
    ).toBe(401);
    const viewer = await token('vera', 'viewer');
    const basic = await app.request('/api/circuit-breakers/health', {
      headers: { authorization: `Basic ${viewer}` },
    });
    expect(basic.status).toBe(401);
  });
});

describe('GET /api/circuit-breakers/:name (viewer)', () => {
  it('returns one status with name and state at the top level', async () => {
    const { app, registry } = fixture();
    await registry.forceOpen('payments');
    const response = await app.request('/api/circuit-breakers/payments', {
      headers: bearer(await token('vera', 'viewer')),
    });
    expect(response.status).toBe(200);
    expect(await json<Record<string, unknown>>(response)).toMatchObject({
      name: 'payments',
      state: 'forced-open',
      health: 'failed',
    });
  });

  it('answers 404 for an unknown service', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/nope', {
      headers: bearer(await token('vera', 'viewer')),
    });
    expect(response.status).toBe(404);
    expect((await json<ErrorJson>(response)).error).toMatchObject({
      code: 'BW_UNKNOWN_SERVICE',
      message: "Unknown service 'nope'",
    });
  });
});

describe('GET /api/fleet (viewer)', () => {
  it('answers sharing null and no instances when the registry is not shared', async () => {
    const { app } = fixture();
    const response = await app.request('/api/fleet', {
      headers: bearer(await token('vera', 'viewer')),
    });
    expect(response.status).toBe(200);
    expect(await json<Record<string, unknown>>(response)).toMatchObject({
      sharing: null,
      instances: [],
    });
  });

  it('needs a token', async () => {
    const { app } = fixture();
    expect((await app.request('/api/fleet')).status).toBe(401);
  });

  it('leaves instances out of a breaker of a registry that is not shared', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/payments', {
      headers: bearer(await token('vera', 'viewer')),
    });
    expect(await json<Record<string, unknown>>(response)).not.toHaveProperty('instances');
  });
});

describe('admin actions', () => {
  it.each([
    ['force-open', 'forced-open'],
    ['disable', 'disabled'],
  ])('POST /:name/%s changes the state and is audited with the sub', async (action, after) => {
    const { app, registry } = fixture();
    const response = await app.request(`/api/circuit-breakers/payments/${action}`, {
      method: 'POST',
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(200);
    expect(await json<unknown>(response)).toEqual({
      service: 'payments',
      action,
      before: 'closed',
      after,
    });
    expect(registry.breaker('payments').state).toBe(after);
    const [entry] = await registry.audit();
    expect(entry).toMatchObject({ actor: { id: 'ada', role: 'admin' }, target: 'payments' });
  });

  it('POST /:name/release and /:name/reset bring a forced-open breaker back', async () => {
    const { app, registry } = fixture();
    const headers = bearer(await token('ada', 'admin'));
    await registry.forceOpen('payments');
    const release = await app.request('/api/circuit-breakers/payments/release', {
      method: 'POST',
      headers,
    });
    expect(release.status).toBe(200);
    expect(registry.breaker('payments').state).toBe('closed');
    await fail(registry, 'database');
    await fail(registry, 'database');
    expect(registry.breaker('database').state).toBe('open');
    const reset = await app.request('/api/circuit-breakers/database/reset', {
      method: 'POST',
      headers,
    });
    expect(reset.status).toBe(200);
    expect(await json<unknown>(reset)).toMatchObject({ before: 'open', after: 'closed' });
  });

  it('POST /api/circuit-breakers/reset resets every breaker', async () => {
    const { app, registry } = fixture();
    await registry.forceOpen('payments');
    await registry.forceOpen('database');
    const response = await app.request('/api/circuit-breakers/reset', {
      method: 'POST',
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(200);
    const body = await json<{ after: Record<string, string> }>(response);
    expect(body.after).toEqual({ database: 'closed', 'market-data': 'closed', payments: 'closed' });
    const [entry] = await registry.audit();
    expect(entry).toMatchObject({ action: 'reset-all', target: '*', actor: { id: 'ada' } });
  });

  it('answers 403 to a viewer on every admin route and changes nothing', async () => {
    const { app, registry } = fixture();
    const headers = bearer(await token('vera', 'viewer'));
    const routes: [string, string][] = [
      ['POST', '/api/circuit-breakers/reset'],
      ['POST', '/api/circuit-breakers/payments/reset'],
      ['POST', '/api/circuit-breakers/payments/force-open'],
      ['POST', '/api/circuit-breakers/payments/disable'],
      ['POST', '/api/circuit-breakers/payments/release'],
      ['PATCH', '/api/circuit-breakers/payments/config'],
      ['GET', '/api/audit'],
    ];
    for (const [method, path] of routes) {
      const response = await app.request(path, {
        method,
        headers,
        body: method === 'PATCH' ? '{}' : null,
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect((await json<ErrorJson>(response)).error.code).toBe('FORBIDDEN');
    }
    expect(registry.breaker('payments').state).toBe('closed');
    expect(await registry.audit()).toEqual([]);
  });

  it('answers 401 on an admin route without a token', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/payments/force-open', {
      method: 'POST',
    });
    expect(response.status).toBe(401);
  });

  it('answers 404 for an action on an unknown service, audited as refused', async () => {
    const { app, registry } = fixture();
    const response = await app.request('/api/circuit-breakers/nope/force-open', {
      method: 'POST',
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(404);
    const [entry] = await registry.audit();
    expect(entry).toMatchObject({ target: 'nope', actor: { id: 'ada' } });
    expect(entry?.outcome).not.toBe('ok');
  });
});

describe('PATCH /api/circuit-breakers/:name/config (admin)', () => {
  it('changes the given options and answers before and after', async () => {
    const { app, registry } = fixture();
    const response = await app.request('/api/circuit-breakers/payments/config', {
      method: 'PATCH',
      headers: { ...bearer(await token('ada', 'admin')), 'content-type': 'application/json' },
      body: JSON.stringify({ failureThreshold: 9 }),
    });
    expect(response.status).toBe(200);
    const body = await json<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      response,
    );
    expect(body.before.failureThreshold).toBe(5);
    expect(body.after.failureThreshold).toBe(9);
    expect(registry.breaker('payments').options.failureThreshold).toBe(9);
  });

  it('answers 400 naming the bad option and value, and changes nothing', async () => {
    const { app, registry } = fixture();
    const response = await app.request('/api/circuit-breakers/payments/config', {
      method: 'PATCH',
      headers: bearer(await token('ada', 'admin')),
      body: JSON.stringify({ successThreshold: 4, failureThreshold: -3 }),
    });
    expect(response.status).toBe(400);
    const { error } = await json<ErrorJson>(response);
    expect(error).toMatchObject({
      code: 'BW_INVALID_CONFIG',
      option: 'failureThreshold',
      value: -3,
    });
    expect(error.message).toContain('failureThreshold');
    expect(error.message).toContain('-3');
    expect(registry.breaker('payments').options.failureThreshold).toBe(5);
    expect(registry.breaker('payments').options.successThreshold).toBe(2);
  });

  it('answers 400 to a malformed JSON body', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/payments/config', {
      method: 'PATCH',
      headers: bearer(await token('ada', 'admin')),
      body: '{"failureThreshold": ',
    });
    expect(response.status).toBe(400);
    expect((await json<ErrorJson>(response)).error.code).toBe('INVALID_JSON');
  });

  it('answers 404 for an unknown service', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/nope/config', {
      method: 'PATCH',
      headers: bearer(await token('ada', 'admin')),
      body: JSON.stringify({ failureThreshold: 3 }),
    });
    expect(response.status).toBe(404);
  });
});

describe('GET /api/audit (admin)', () => {
  it('lists entries newest first, filtered by service and limited', async () => {
    const { app, clock } = fixture();
    const headers = bearer(await token('ada', 'admin'));
    for (const path of ['payments/force-open', 'database/force-open', 'payments/release']) {
      await app.request(`/api/circuit-breakers/${path}`, { method: 'POST', headers });
      clock.advance(1000);
    }
    const all = await json<{
      entries: { action: string; target: string; actor: { id: string } }[];
    }>(await app.request('/api/audit', { headers }));
    expect(all.entries.map((entry) => `${entry.target} ${entry.action}`)).toEqual([
      'payments release',
      'database force-open',
      'payments force-open',
    ]);
    expect(all.entries.every((entry) => entry.actor.id === 'ada')).toBe(true);
    const filtered = await json<{ entries: unknown[] }>(
      await app.request('/api/audit?service=payments&limit=1', { headers }),
    );
    expect(filtered.entries).toHaveLength(1);
    expect(filtered.entries[0]).toMatchObject({ target: 'payments', action: 'release' });
  });

  it('answers 400 to a bad limit', async () => {
    const { app } = fixture();
    const response = await app.request('/api/audit?limit=zero', {
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(400);
    expect((await json<ErrorJson>(response)).error.message).toContain('limit');
  });

  it('pages back with ?before= the id of the last entry: each entry once, newest first, filtered by service', async () => {
    const { app, registry } = fixture();
    const headers = bearer(await token('ada', 'admin'));
    // Five entries at the same time (the clock stands still): paging goes by id, not time.
    await registry.forceOpen('payments');
    await registry.forceOpen('database');
    await registry.release('payments');
    await registry.resetAll();
    await registry.disable('payments');
    const pages: string[][] = [];
    let before = '';
    for (let page = 0; page < 5; page++) {
      const { entries } = await json<{ entries: { id: number; action: string }[] }>(
        await app.request(`/api/audit?service=payments&limit=2&before=${before}`, { headers }),
      );
      pages.push(entries.map((entry) => entry.action));
      if (entries.length < 2) break;
      before = String(entries.at(-1)?.id);
    }
    expect(pages).toEqual([['disable', 'reset-all'], ['release', 'force-open'], []]);
  });

  it.each(['0', '-3', '2.5', 'ten', '1e3', '9007199254740993'])(
    'answers 400 INVALID_REQUEST for ?before=%s (an entry id)',
    async (before) => {
      const { app } = fixture();
      const response = await app.request(`/api/audit?before=${before}`, {
        headers: bearer(await token('ada', 'admin')),
      });
      expect(response.status).toBe(400);
      expect((await json<ErrorJson>(response)).error).toEqual({
        code: 'INVALID_REQUEST',
        message: `Invalid query 'before': "${before}" (expected an audit entry's id, a positive integer)`,
        option: 'before',
        value: before,
      });
    },
  );
});

describe('unknown routes and errors', () => {
  it('answers 404 as JSON for an unknown route, with or without a token', async () => {
    const { app } = fixture();
    for (const init of [{}, { headers: bearer(await token('ada', 'admin')) }]) {
      const response = await app.request('/api/nothing-here', init);
      expect(response.status).toBe(404);
      expect((await json<ErrorJson>(response)).error.code).toBe('NOT_FOUND');
    }
    expect(
      (await app.request('/api/circuit-breakers/payments/explode', { method: 'POST' })).status,
    ).toBe(404);
  });

  it('answers 500 naming the request but not the internals when the registry throws something unexpected', async () => {
    const { app, registry } = fixture();
    registry.status = () => {
      throw new Error('secret internals');
    };
    const response = await app.request('/api/health/circuit-breaker');
    expect(response.status).toBe(500);
    expect(await json<ErrorJson>(response)).toEqual({
      error: {
        code: 'INTERNAL_ERROR',
        message:
          "Unexpected Error while serving GET /api/health/circuit-breaker; the monitor's log has the details",
      },
    });
  });
});
