import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { createMonitor, type HistoryPoint, type TransitionEntry } from '../../src/index';
import { bearer, fail, fixture, token } from './fixture';

const start = Date.UTC(2026, 0, 1);

interface HistoryBody {
  service: string;
  interval: number;
  points: HistoryPoint[];
}

interface TransitionsBody {
  service: string;
  transitions: TransitionEntry[];
}

interface ErrorJson {
  error: { code: string; message: string; option?: string; value?: unknown; service?: string };
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function viewer() {
  return { headers: bearer(await token('vera', 'viewer')) };
}

describe('GET /api/circuit-breakers/:name/history (viewer)', () => {
  it('serves the sampled series of a service, oldest first, with its interval', async () => {
    const { app, registry, clock } = fixture();
    for (let i = 0; i < 10; i++) await registry.breaker('payments').execute(async () => 'ok');
    clock.advance(5_000);
    const response = await app.request('/api/circuit-breakers/payments/history', await viewer());
    expect(response.status).toBe(200);
    const body = await json<HistoryBody>(response);
    expect(body.service).toBe('payments');
    expect(body.interval).toBe(5_000);
    expect(body.points).toEqual([
      {
        at: start,
        callsPerSecond: null,
        rejectedPerSecond: null,
        failureRate: null,
        p95: null,
        state: 'closed',
        health: 'unknown',
      },
      {
        at: start + 5_000,
        callsPerSecond: 2,
        rejectedPerSecond: 0,
        failureRate: 0,
        p95: 0, // the one timed call (payments times 1 in 64), instant on the fake clock
        state: 'closed',
        health: 'healthy',
      },
    ]);
  });

  it('keeps the points taken after ?since=, given as epoch ms or ISO 8601', async () => {
    const { app, clock } = fixture();
    for (let i = 0; i < 3; i++) clock.advance(5_000);
    const options = await viewer();
    const times = async (query: string) =>
      (
        await json<HistoryBody>(
          await app.request(`/api/circuit-breakers/database/history${query}`, options),
        )
      ).points.map((point) => point.at - start);
    expect(await times('')).toEqual([0, 5_000, 10_000, 15_000]);
    expect(await times(`?since=${start + 5_000}`)).toEqual([10_000, 15_000]);
    expect(await times('?since=2026-01-01T00:00:10Z')).toEqual([15_000]);
    expect(await times('?since=2026-01-01T01:00:10%2B01:00')).toEqual([15_000]);
    expect(await times('?since=2026-01-02')).toEqual([]);
    expect(await times('?since=')).toHaveLength(4);
  });

  it.each(['yesterday', '-5', '1.5', '2026-01-01T00:00:10', '2026-13-45T00:00Z'])(
    'answers 400 INVALID_REQUEST for ?since=%s',
    async (since) => {
      const { app } = fixture();
      const response = await app.request(
        `/api/circuit-breakers/database/history?since=${encodeURIComponent(since)}`,
        await viewer(),
      );
      expect(response.status).toBe(400);
      expect((await json<ErrorJson>(response)).error).toMatchObject({
        code: 'INVALID_REQUEST',
        option: 'since',
        value: since,
      });
    },
  );
});

describe('GET /api/circuit-breakers/:name/transitions (viewer)', () => {
  it('lists the transitions of a service, newest first, with from, to, reason and time', async () => {
    const { app, registry, clock } = fixture();
    await fail(registry, 'database');
    await fail(registry, 'database'); // failureThreshold 2: opens
    clock.advance(1_000);
    await registry.forceOpen('database');
    const response = await app.request(
      '/api/circuit-breakers/database/transitions',
      await viewer(),
    );
    expect(response.status).toBe(200);
    expect(await json<TransitionsBody>(response)).toEqual({
      service: 'database',
      transitions: [
        { at: start + 1_000, from: 'open', to: 'forced-open', reason: 'manual' },
        { at: start, from: 'closed', to: 'open', reason: 'consecutive-failures' },
      ],
    });
    const none = await app.request('/api/circuit-breakers/payments/transitions', await viewer());
    expect(await json<TransitionsBody>(none)).toEqual({ service: 'payments', transitions: [] });
  });

  it('returns at most ?limit= transitions, the newest', async () => {
    const { app, registry } = fixture();
    for (let i = 0; i < 3; i++) {
      await registry.forceOpen('payments');
      await registry.release('payments');
    }
    const body = await json<TransitionsBody>(
      await app.request('/api/circuit-breakers/payments/transitions?limit=2', await viewer()),
    );
    expect(body.transitions.map(({ from, to }) => `${from}>${to}`)).toEqual([
      'forced-open>closed',
      'closed>forced-open',
    ]);
  });

  it.each(['0', '201', '2.5', 'ten'])(
    'answers 400 INVALID_REQUEST for ?limit=%s (1 to the 200 kept)',
    async (limit) => {
      const { app } = fixture();
      const response = await app.request(
        `/api/circuit-breakers/payments/transitions?limit=${limit}`,
        await viewer(),
      );
      expect(response.status).toBe(400);
      expect((await json<ErrorJson>(response)).error).toEqual({
        code: 'INVALID_REQUEST',
        message: `Invalid query 'limit': "${limit}" (expected an integer from 1 to 200)`,
        option: 'limit',
        value: limit,
      });
    },
  );
});

describe('history and transitions: what both routes share', () => {
  it.each(['history', 'transitions'])(
    '/%s answers 404 BW_UNKNOWN_SERVICE for an unknown service',
    async (route) => {
      const { app } = fixture();
      const response = await app.request(
        `/api/circuit-breakers/nope/${route}?limit=x&since=x`,
        await viewer(),
      );
      expect(response.status).toBe(404);
      expect(await json<ErrorJson>(response)).toEqual({
        error: { code: 'BW_UNKNOWN_SERVICE', message: "Unknown service 'nope'", service: 'nope' },
      });
    },
  );

  it.each(['history', 'transitions'])(
    '/%s answers 401 without a token, and serves an admin',
    async (route) => {
      const { app } = fixture();
      const none = await app.request(`/api/circuit-breakers/payments/${route}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const admin = await app.request(`/api/circuit-breakers/payments/${route}`, {
        headers: bearer(await token('ada', 'admin')),
      });
      expect(admin.status).toBe(200);
    },
  );
});

describe("the monitor's history", () => {
  const env = { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' };

  it('samples on one timer of its clock from creation, serves it through the handler, and stops it on stop()', async () => {
    const clock = new FakeClock(start);
    const registry = new Registry({ clock, services: { a: {}, b: {}, c: {} } });
    const monitor = createMonitor({ registry, env, history: { clock, interval: 10_000 } });
    expect(clock.pendingTimers).toBe(1);
    clock.advance(10_000);
    const response = await monitor.handler(
      new Request('http://localhost/api/circuit-breakers/b/history', await viewer()),
    );
    const body = await json<HistoryBody>(response);
    expect(body.interval).toBe(10_000);
    expect(body.points.map((point) => point.at - start)).toEqual([0, 10_000]);
    await monitor.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
