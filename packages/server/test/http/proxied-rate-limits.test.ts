import { isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, createHttpApi, RequestLimits } from '../../src/index';
import { bearer, token } from './fixture';

const secret = 'http-test-secret-that-is-long-enough-42';
const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.bm9wZQ';
const proxy = '10.0.0.5';

/** The API allowing one failed authentication a minute, behind `trustedProxies`. */
function api(trustedProxies?: readonly string[]) {
  const registry = new Registry({ clock: new FakeClock(), services: { db: {} } });
  const authenticator = createAuthenticator(
    { algorithm: 'HS256' },
    { BREAKWATER_JWT_SECRET: secret },
  );
  const reports: string[] = [];
  const limits = new RequestLimits({
    authFailuresPerMinute: 1,
    clock: new FakeClock(),
    report: (line) => reports.push(line),
  });
  const app = createHttpApi({
    registry,
    authenticator,
    limits,
    ...(trustedProxies === undefined ? {} : { trustedProxies }),
  });
  /** A request from the socket `peer` that says it was forwarded for `forwardedFor`. */
  const via = async (peer: string, forwardedFor: string, authorization: string) => {
    const headers = { ...bearer(authorization), 'x-forwarded-for': forwardedFor };
    const response = await app.request(
      '/api/circuit-breakers/health',
      { headers },
      {
        incoming: { socket: { remoteAddress: peer } },
      },
    );
    return response.status;
  };
  return { via, reports };
}

describe('failed authentications behind a trusted reverse proxy', () => {
  it('count per client named in X-Forwarded-For, so one token guesser locks out only itself', async () => {
    const { via, reports } = api(['10.0.0.0/8']);
    const good = await token('alice', 'viewer');
    expect(await via(proxy, '203.0.113.7', forged)).toBe(401);
    expect(await via(proxy, '203.0.113.7', good)).toBe(429);
    expect(await via(proxy, '198.51.100.1', good)).toBe(200);
    expect(reports).toEqual([expect.stringMatching(/^refused a request from 203\.0\.113\.7 /)]);
  });

  it('ignore the entries a client forged left of the one the proxy added', async () => {
    const { via } = api(['10.0.0.0/8']);
    const good = await token('alice', 'viewer');
    expect(await via(proxy, '198.51.100.1, 203.0.113.7', forged)).toBe(401);
    expect(await via(proxy, '203.0.113.7', good)).toBe(429);
    expect(await via(proxy, '198.51.100.1', good)).toBe(200);
  });

  it('count per peer when the peer is not a trusted proxy, whatever its header says', async () => {
    const { via } = api(['10.0.0.0/8']);
    const good = await token('alice', 'viewer');
    expect(await via('203.0.113.7', '198.51.100.1', forged)).toBe(401);
    expect(await via('203.0.113.7', '192.0.2.44', good)).toBe(429);
    expect(await via(proxy, '198.51.100.1', good)).toBe(200);
  });

  it('count per proxy when none is trusted (the default): X-Forwarded-For is ignored', async () => {
    const { via } = api();
    const good = await token('alice', 'viewer');
    expect(await via(proxy, '203.0.113.7', forged)).toBe(401);
    expect(await via(proxy, '198.51.100.1', good)).toBe(429);
  });
});

describe('a bad trusted proxy given to createHttpApi', () => {
  it('throws a ConfigError naming the entry and its value', () => {
    const registry = new Registry({ services: { db: {} } });
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: secret },
    );
    let thrown: unknown;
    try {
      createHttpApi({ registry, authenticator, trustedProxies: ['10.0.0.0/8', 'lb.internal'] });
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      option: 'trustedProxies[1]',
      value: 'lb.internal',
      message: expect.stringContaining('Invalid option \'trustedProxies[1]\': "lb.internal"'),
    });
  });
});
