import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBreakwaterError, isConfigError } from '@breakwater/core';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  AuthSetupError,
  createAuthenticator,
  isAuthError,
  isAuthSetupError,
  signToken,
} from '../../src/index';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const env = { BREAKWATER_JWT_SECRET: secret };
const key = new TextEncoder().encode(secret);

function mint(claims: Record<string, unknown>, alg = 'HS256', exp: string | number = '1h') {
  return new SignJWT(claims).setProtectedHeader({ alg }).setExpirationTime(exp).sign(key);
}

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect(isAuthError(error)).toBe(true);
  expect(error).toMatchObject({ name: 'AuthError', code: 'BW_TOKEN_REFUSED' });
  return error as AuthError;
}

describe('createAuthenticator (HS256)', () => {
  it('returns the principal of a valid token', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256' }, env);
    const token = await mint({ sub: 'alice', role: 'admin' });
    await expect(auth.verify(token)).resolves.toEqual({ sub: 'alice', role: 'admin' });
  });

  it('throws at creation naming the variable when the secret is missing, without a value', () => {
    expect(() =>
      createAuthenticator({ algorithm: 'HS256', jwtSecretEnv: 'MY_SECRET' }, {}),
    ).toThrow(/MY_SECRET/);
    expect(() => createAuthenticator({ algorithm: 'HS256' }, {})).toThrow(AuthSetupError);
  });

  it('refuses a secret shorter than 32 characters without printing it', () => {
    const short = 'short-secret-value';
    let message = '';
    try {
      createAuthenticator({ algorithm: 'HS256' }, { BREAKWATER_JWT_SECRET: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/BREAKWATER_JWT_SECRET.*too short/);
    expect(message).not.toContain(short);
  });

  it('refuses an expired token with expired_token', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256' }, env);
    const token = await mint(
      { sub: 'alice', role: 'admin' },
      'HS256',
      Math.floor(Date.now() / 1000) - 60,
    );
    expect((await refusal(auth.verify(token))).reason).toBe('expired_token');
  });

  it('pins the algorithm: an unsigned token and an HS512 token are refused', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256' }, env);
    const unsigned = new UnsecuredJWT({ sub: 'mallory', role: 'admin' })
      .setExpirationTime('1h')
      .encode();
    expect((await refusal(auth.verify(unsigned))).reason).toBe('invalid_token');
    const hs512 = await mint({ sub: 'mallory', role: 'admin' }, 'HS512');
    expect((await refusal(auth.verify(hs512))).reason).toBe('invalid_token');
  });

  it('requires sub and a known role', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256' }, env);
    await refusal(auth.verify(await mint({ role: 'admin' })));
    await refusal(auth.verify(await mint({ sub: 'bob', role: 'root' })));
    await refusal(auth.verify(await mint({ sub: 'bob' })));
  });

  it('refuses a token signed with another secret, and never echoes the token', async () => {
    const auth = createAuthenticator({ algorithm: 'HS256' }, env);
    const other = await new SignJWT({ sub: 'eve', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-000000'));
    const error = await refusal(auth.verify(other));
    expect(error.message).not.toContain(other);
    expect((await refusal(auth.verify('not-a-jwt'))).message).not.toContain('not-a-jwt');
    expect((await refusal(auth.verify(undefined))).reason).toBe('missing_token');
  });

  it('checks issuer and audience when configured', async () => {
    const settings = { algorithm: 'HS256', issuer: 'bw', audience: 'monitor' } as const;
    const auth = createAuthenticator(settings, env);
    await refusal(auth.verify(await mint({ sub: 'a', role: 'viewer' })));
    const good = await signToken({ sub: 'a', role: 'viewer' }, settings, env);
    await expect(auth.verify(good)).resolves.toEqual({ sub: 'a', role: 'viewer' });
  });
});

describe('signToken', () => {
  it('signs a token the authenticator accepts, expiring after ttl', async () => {
    const token = await signToken({ sub: 'ops', role: 'viewer', ttl: 60 }, undefined, env);
    const auth = createAuthenticator(undefined, env);
    await expect(auth.verify(token)).resolves.toEqual({ sub: 'ops', role: 'viewer' });
    const [, payload = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      number
    >;
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
  });

  it('rejects a ttl it cannot read with a ConfigError naming ttl', async () => {
    const error = await signToken(
      { sub: 'ops', role: 'viewer', ttl: 'forever' },
      undefined,
      env,
    ).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isConfigError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: 'ttl', value: 'forever' });
  });

  it('cannot sign with a public-key setting', async () => {
    await expect(
      signToken(
        { sub: 'x', role: 'admin' },
        { algorithm: 'RS256', publicKeyFile: '/nowhere' },
        env,
      ),
    ).rejects.toThrow(/RS256/);
  });
});

describe('createAuthenticator (public key)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bw-auth-'));

  it.each([
    ['RS256', 'rsa'],
    ['ES256', 'ec'],
  ] as const)('verifies %s tokens with the PEM public key', async (algorithm, type) => {
    const pair =
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = join(folder, `${algorithm}.pem`);
    writeFileSync(file, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const auth = createAuthenticator({ algorithm, publicKeyFile: file });
    const token = await new SignJWT({ sub: 'idp-user', role: 'viewer' })
      .setProtectedHeader({ alg: algorithm })
      .setExpirationTime('5m')
      .sign(pair.privateKey);
    await expect(auth.verify(token)).resolves.toEqual({ sub: 'idp-user', role: 'viewer' });
    // An HS256 token is refused even though the key is public: the algorithm is pinned.
    await refusal(auth.verify(await mint({ sub: 'x', role: 'admin' })));
  });

  it('throws at creation naming an unreadable key file', () => {
    const file = join(folder, 'missing.pem');
    expect(() => createAuthenticator({ algorithm: 'RS256', publicKeyFile: file })).toThrow(file);
  });

  it('throws at creation when the key does not match the algorithm', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = join(folder, 'ec-for-rs.pem');
    writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    expect(() => createAuthenticator({ algorithm: 'RS256', publicKeyFile: file })).toThrow(/rsa/);
  });
});

describe('auth errors', () => {
  it('AuthError: BW_TOKEN_REFUSED, with the old code as reason and the cause kept', () => {
    const cause = new Error('jose');
    const error = new AuthError('invalid_token', 'The token is invalid (ERR_JWS_INVALID)', {
      cause,
    });
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'BW_TOKEN_REFUSED',
      reason: 'invalid_token',
      message: 'The token is invalid (ERR_JWS_INVALID)',
    });
    expect(error.cause).toBe(cause);
    expect(isBreakwaterError(error)).toBe(true);
    expect(isAuthError(error)).toBe(true);
    expect(isAuthError(new AuthSetupError('no secret'))).toBe(false);
    expect(isAuthError(Object.assign(new Error('x'), { name: 'AuthError', code: 'x' }))).toBe(
      false,
    );
  });

  it('AuthSetupError: BW_AUTH_SETUP_FAILED, thrown by createAuthenticator and signToken', async () => {
    let thrown: unknown;
    try {
      createAuthenticator({ algorithm: 'HS256' }, {});
    } catch (error) {
      thrown = error;
    }
    expect(isAuthSetupError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ name: 'AuthSetupError', code: 'BW_AUTH_SETUP_FAILED' });
    const refused = await signToken(
      { sub: 'x', role: 'admin' },
      { algorithm: 'ES256', publicKeyFile: '/nowhere' },
      env,
    ).catch((error: unknown) => error);
    expect(isAuthSetupError(refused)).toBe(true);
    expect(isAuthSetupError(new AuthError('missing_token', 'A bearer token is required'))).toBe(
      false,
    );
  });
});
