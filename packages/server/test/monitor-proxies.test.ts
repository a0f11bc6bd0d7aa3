import { isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createMonitor, type Monitor, signToken } from '../src';

const env = { BREAKWATER_JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters' };
let monitor: Monitor | undefined;

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

/** The status of an upgrade from the client `forwardedFor` names: 101, or the HTTP answer instead. */
function upgradeStatus(url: string, token: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`, token, {
      headers: { 'x-forwarded-for': forwardedFor },
    });
    socket.on('error', () => {});
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
  });
}

describe('createMonitor behind trusted proxies', () => {
  it('gives each client behind the proxy one failed-authentication budget over HTTP and WebSocket', async () => {
    const registry = new Registry({ clock: new FakeClock(), services: { db: {} } });
    monitor = createMonitor({
      registry,
      env,
      log: () => {},
      authFailuresPerMinute: 1,
      trustedProxies: ['127.0.0.1', '::1'],
    });
    const { url } = await monitor.start({ port: 0 });
    const good = await signToken({ sub: 'alice', role: 'viewer' }, undefined, env);
    const health = (authorization: string, forwardedFor: string) =>
      fetch(`${url}/api/circuit-breakers/health`, {
        headers: { authorization: `Bearer ${authorization}`, 'x-forwarded-for': forwardedFor },
      }).then((response) => response.status);

    expect(await health('not-a-token', '203.0.113.7')).toBe(401);
    expect(await upgradeStatus(url, good, '203.0.113.7')).toBe(429);
    expect(await health(good, '203.0.113.7')).toBe(429);
    expect(await upgradeStatus(url, good, '198.51.100.1')).toBe(101);
    expect(await health(good, '198.51.100.1')).toBe(200);
  });

  it('throws a ConfigError naming a bad entry before anything listens', () => {
    let thrown: unknown;
    try {
      createMonitor({ registry: new Registry(), env, trustedProxies: ['::1', '10.0.0.0/8x'] });
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option: 'trustedProxies[1]', value: '10.0.0.0/8x' });
  });
});
