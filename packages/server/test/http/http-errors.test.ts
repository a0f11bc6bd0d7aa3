import {
  type AuditEntry,
  isBreakwaterError,
  MemoryStore,
  Registry,
  StoreUnavailableError,
  UnknownServiceError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createAuthenticator,
  createHttpApi,
  HttpError,
  httpErrorCodes,
  isHttpError,
} from '../../src/index';
import { bearer, fixture, token } from './fixture';

const redis = 'Redis at redis://:***@10.0.0.7:6379';

/** A store whose audit log cannot be read: as a Redis store answers while Redis is down. */
class UnreachableAuditStore extends MemoryStore {
  override queryAudit(): Promise<AuditEntry[]> {
    return Promise.reject(new StoreUnavailableError(redis, 'the connection was closed'));
  }
}

async function apiOn(registry: Registry) {
  const authenticator = createAuthenticator(
    { algorithm: 'HS256' },
    { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
  );
  return {
    app: createHttpApi({ registry, authenticator }),
    admin: bearer(await token('ada', 'admin')),
  };
}

describe('errors of the registry and its store', () => {
  it('answers 503 naming the store when the store is unavailable', async () => {
    const registry = await Registry.open({
      store: new UnreachableAuditStore(),
      clock: new FakeClock(),
      services: { payments: {} },
    });
    const { app, admin } = await apiOn(registry);
    const response = await app.request('/api/audit', { headers: admin });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        code: 'BW_STORE_UNAVAILABLE',
        message: `${redis} is unavailable: the connection was closed`,
        store: redis,
      },
    });
    await registry.close();
  });

  it('answers 503 with BW_REGISTRY_CLOSED for an action after the registry is closed', async () => {
    const { app, registry } = fixture();
    await registry.close();
    const response = await app.request('/api/circuit-breakers/payments/reset', {
      method: 'POST',
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: 'BW_REGISTRY_CLOSED', message: 'The registry is closed' },
    });
  });

  it('answers 404 with BW_UNKNOWN_SERVICE from the registry’s own error', async () => {
    const { app } = fixture();
    const response = await app.request('/api/circuit-breakers/nope/reset', {
      method: 'POST',
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'BW_UNKNOWN_SERVICE', message: "Unknown service 'nope'", service: 'nope' },
    });
  });
});

describe('HttpError', () => {
  it('is a BreakwaterError coded BW_HTTP_ERROR, with the body code as bodyCode', () => {
    const cause = new UnknownServiceError('nope');
    const error = new HttpError(404, cause.code, cause.message, { service: 'nope' }, { cause });
    expect(error).toMatchObject({
      name: 'HttpError',
      code: 'BW_HTTP_ERROR',
      status: 404,
      bodyCode: 'BW_UNKNOWN_SERVICE',
      details: { service: 'nope' },
    });
    expect(error.cause).toBe(cause);
    expect(isBreakwaterError(error)).toBe(true);
    expect(isHttpError(error)).toBe(true);
    expect(isHttpError(cause)).toBe(false);
    expect(new HttpError(403, httpErrorCodes.forbidden, 'no').details).toEqual({});
  });

  it('thrown by a route added to the app, answers with its status and body', async () => {
    const { app } = fixture();
    app.get('/teapot', () => {
      throw new HttpError(418, 'TEAPOT', 'I am a teapot', { spout: 'short' });
    });
    const response = await app.request('/teapot');
    expect(response.status).toBe(418);
    expect(await response.json()).toEqual({
      error: { code: 'TEAPOT', message: 'I am a teapot', spout: 'short' },
    });
  });
});
