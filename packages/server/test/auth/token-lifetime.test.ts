import { isConfigError, Registry } from '@breakwater/core';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  createAuthenticator,
  createHttpApi,
  defaultMaxTokenLifetime,
  signToken,
} from '../../src/index';

const secret = 'a-lifetime-test-secret-that-is-long-enough';
const env = { BREAKWATER_JWT_SECRET: secret };
const key = new TextEncoder().encode(secret);
const hour = 3_600;

/** A token with exactly the claims given (seconds since the epoch), no more. */
function minted(claims: { exp?: number; iat?: number }): Promise<string> {
  const jwt = new SignJWT({ sub: 'alice', role: 'admin', ...claims }).setProtectedHeader({
    alg: 'HS256',
  });
  return jwt.sign(key);
}

const now = () => Math.floor(Date.now() / 1000);

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('tokens must expire', () => {
  it('refuses a token without exp, saying it needs an expiry', async () => {
    const auth = createAuthenticator(undefined, env);
    const error = await refusal(auth.verify(await minted({ iat: now() })));
    expect(error.reason).toBe('invalid_token');
    expect(error.message).toBe(
      "The token has no expiry ('exp' claim): this server accepts only tokens that expire within 1 day; mint one with 'breakwater token --expires-in'",
    );
  });

  it('answers 401 with that message on the HTTP API', async () => {
    const registry = new Registry({ services: { db: {} } });
    const app = createHttpApi({ registry, authenticator: createAuthenticator(undefined, env) });
    const token = await minted({});
    const response = await app.request('/api/circuit-breakers/health', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message: expect.stringContaining("The token has no expiry ('exp' claim)"),
      },
    });
  });
});

describe('token lifetime is bounded', () => {
  it('accepts a day by default and refuses longer, from iat to exp', async () => {
    const auth = createAuthenticator(undefined, env);
    const issued = now();
    await expect(
      auth.verify(await minted({ iat: issued, exp: issued + 24 * hour })),
    ).resolves.toMatchObject({ sub: 'alice' });
    const error = await refusal(
      auth.verify(await minted({ iat: issued, exp: issued + 30 * 24 * hour })),
    );
    expect(error.message).toBe(
      'The token lives 30 days, longer than the 1 day this server accepts (auth.maxTokenLifetime): mint a shorter-lived one',
    );
  });

  it('measures from now when there is no iat, and a future iat buys nothing', async () => {
    const auth = createAuthenticator(undefined, env);
    await refusal(auth.verify(await minted({ exp: now() + 48 * hour })));
    const future = now() + 300 * 24 * hour;
    await refusal(auth.verify(await minted({ iat: future, exp: future + hour })));
  });

  it('takes the bound from maxTokenLifetime', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256', maxTokenLifetime: 600_000 }, env);
    const issued = now();
    await expect(
      auth.verify(await minted({ iat: issued, exp: issued + 600 })),
    ).resolves.toMatchObject({ sub: 'alice' });
    const error = await refusal(auth.verify(await minted({ iat: issued, exp: issued + hour })));
    expect(error.message).toContain('longer than the 10 min this server accepts');
  });

  it('refuses a maxTokenLifetime that is not a number of ms at creation', () => {
    expect(() =>
      createAuthenticator({ algorithm: 'HS256', maxTokenLifetime: '1d' as never }, env),
    ).toThrow(/maxTokenLifetime/);
  });

  it('lets the demo links of 12 hours through under the default', async () => {
    expect(defaultMaxTokenLifetime).toBe(86_400_000);
    const token = await signToken({ sub: 'demo', role: 'admin', ttl: '12h' }, undefined, env);
    await expect(createAuthenticator(undefined, env).verify(token)).resolves.toMatchObject({
      sub: 'demo',
    });
  });
});

describe('signToken always sets exp, within the bound', () => {
  it('expires after an hour by default', async () => {
    const { iat, exp } = decodeJwt(await signToken({ sub: 'ops', role: 'viewer' }, undefined, env));
    expect((exp ?? 0) - (iat ?? 0)).toBe(hour);
  });

  it('refuses a ttl above the longest lifetime, naming ttl and the bound', async () => {
    const error = await signToken({ sub: 'ops', role: 'viewer', ttl: '2d' }, undefined, env).catch(
      (reason: unknown) => reason,
    );
    expect(isConfigError(error)).toBe(true);
    expect(error).toMatchObject({ option: 'ttl', value: '2d' });
    expect((error as Error).message).toContain('at most 1 day');
    const settings = { algorithm: 'HS256', maxTokenLifetime: 7 * 86_400_000 } as const;
    const week = await signToken({ sub: 'ops', role: 'viewer', ttl: '7d' }, settings, env);
    const { iat, exp } = decodeJwt(week);
    expect((exp ?? 0) - (iat ?? 0)).toBe(7 * 24 * hour);
  });

  it('refuses a ttl of zero or less', async () => {
    for (const ttl of [0, -60]) {
      const error = await signToken({ sub: 'ops', role: 'viewer', ttl }, undefined, env).catch(
        (reason: unknown) => reason,
      );
      expect(error).toMatchObject({ option: 'ttl', value: ttl });
    }
  });
});
