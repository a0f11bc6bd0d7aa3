import { type AddressInfo, createServer } from 'node:net';
import { MemoryStore, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createMonitor, isMonitorStartError, type Monitor, signToken } from '../src';

const env = { BREAKWATER_JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters' };
let monitor: Monitor | undefined;

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

describe('createMonitor', () => {
  it('serves the HTTP API and the WebSocket stream on one port', async () => {
    const registry = new Registry({ clock: new FakeClock(), services: { 'market-data': {} } });
    monitor = createMonitor({ registry, env });
    const { url } = await monitor.start({ port: 0 });
    const health = (await (await fetch(`${url}/api/health/circuit-breaker`)).json()) as {
      stats: { total: number };
    };
    expect(health.stats.total).toBe(1);
    const token = await signToken({ sub: 'alice', role: 'viewer' }, undefined, env);
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`, token);
    const first = await new Promise<{ type: string; status: string }>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data))));
      socket.once('error', reject);
    });
    expect(socket.protocol).toBe(token);
    expect(first).toMatchObject({ type: 'connection:status', status: 'connected' });
    socket.close();
  });

  it('answers through its fetch handler without listening', async () => {
    monitor = createMonitor({ registry: new Registry(), env });
    const response = await monitor.handler(
      new Request('http://localhost/api/circuit-breakers/health'),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a second start with a MonitorStartError, even while the first is listening', async () => {
    monitor = createMonitor({ registry: new Registry(), env });
    const first = monitor.start({ port: 0 });
    const second = await monitor.start({ port: 0 }).catch((error: unknown) => error);
    await first;
    expect(isMonitorStartError(second)).toBe(true);
    expect(second).toMatchObject({
      name: 'MonitorStartError',
      code: 'BW_MONITOR_START_FAILED',
      reason: 'it is already started',
      message: 'The monitor cannot start: it is already started',
    });
    expect(isMonitorStartError(new Error('The monitor is already started'))).toBe(false);
  });

  it('rejects with a MonitorStartError naming a taken port, and can start elsewhere after', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      monitor = createMonitor({ registry: new Registry(), env });
      const error = await monitor.start({ port }).catch((reason: unknown) => reason);
      expect(isMonitorStartError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'BW_MONITOR_START_FAILED',
        reason: `port ${port} on 127.0.0.1 is already in use`,
        cause: { code: 'EADDRINUSE' },
      });
      await expect(monitor.start({ port: 0 })).resolves.toMatchObject({ port: expect.any(Number) });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('starts again after a stop', async () => {
    monitor = createMonitor({ registry: new Registry(), env });
    await monitor.start({ port: 0 });
    await monitor.stop();
    await expect(monitor.start({ port: 0 })).resolves.toMatchObject({ port: expect.any(Number) });
  });

  it('refuses to start without a secret, naming the variable, before anything listens', () => {
    expect(() => createMonitor({ registry: new Registry(), env: {} })).toThrow(
      /BREAKWATER_JWT_SECRET/,
    );
  });
});

describe('createMonitor given a bad option', () => {
  // Fake timers count unref'd ones too (the history's sampler is unref'd).
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const timers = () => vi.getTimerCount();

  it.each([
    ['trustedProxies', { trustedProxies: ['10.0.0.0/99'] }],
    ['maxBodyBytes', { maxBodyBytes: -1 }],
    ['dashboard', { dashboard: '/no/such/dashboard' }],
  ])('refuses a bad %s with a ConfigError and leaves no timer running', (option, given) => {
    const before = timers();
    expect(() => createMonitor({ registry: new Registry(), env, ...given })).toThrow(
      expect.objectContaining({
        code: 'BW_INVALID_CONFIG',
        option: expect.stringContaining(option),
      }),
    );
    expect(timers()).toBe(before);
  });
});

describe('WebSocket upgrades on other paths', () => {
  it('answers 404 instead of leaving the client hanging', async () => {
    monitor = createMonitor({ registry: new Registry(), env });
    const { url } = await monitor.start({ port: 0 });
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v2/ws/nope`);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode));
      socket.once('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});

describe('createMonitor with the registry’s store', () => {
  it('saves every breaker to it when stopped', async () => {
    const store = new MemoryStore();
    const registry = await Registry.open({ store, clock: new FakeClock(), services: { api: {} } });
    await registry.breaker('api').execute(async () => 'ok');
    monitor = createMonitor({ registry, store, env });
    await monitor.start({ port: 0 });
    await monitor.stop();
    monitor = undefined;
    expect(await store.loadBreakers()).toMatchObject([{ name: 'api', totals: { successes: 1 } }]);
  });
});
