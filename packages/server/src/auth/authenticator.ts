import { ConfigError } from '@breakwater/core';
import { errors, type JWTPayload, jwtVerify } from 'jose';
import { AuthError } from './auth-error';
import type { AuthSettings, Env, Principal, Role } from './auth-settings';
import { publicKeyFrom, secretFrom } from './signing-key';
import { checkTokenLifetime, defaultMaxTokenLifetime } from './token-lifetime';

/** Verifies bearer tokens. */
export interface Authenticator {
  /** The token's principal; rejects with an {@link AuthError} (401) otherwise. */
  verify(token: string | undefined): Promise<Principal>;
}

const roles: readonly Role[] = ['admin', 'viewer'];

/**
 * Builds the verifier once, at start-up: a missing or short secret, or an
 * unreadable key, throws here (naming the variable or file), not on the
 * first request. The algorithm is pinned to the configured one, so a token
 * signed with `none` or another algorithm is refused; `exp` is required and
 * checked, and the token's lifetime bounded by `maxTokenLifetime`; `iss` /
 * `aud` are checked when configured; `sub` and `role` are required.
 */
export function createAuthenticator(
  settings: AuthSettings = { algorithm: 'HS256' },
  env: Env = process.env,
): Authenticator {
  const maxLifetime = checkMaxLifetime(settings.maxTokenLifetime);
  const key = settings.algorithm === 'HS256' ? secretFrom(settings, env) : publicKeyFrom(settings);
  const options = {
    algorithms: [settings.algorithm],
    ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
    ...(settings.audience === undefined ? {} : { audience: settings.audience }),
  };
  return {
    async verify(token) {
      if (token === undefined || token === '')
        throw new AuthError('missing_token', 'A bearer token is required');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, options));
      } catch (error) {
        if (error instanceof errors.JWTExpired)
          throw new AuthError('expired_token', 'The token has expired');
        throw new AuthError('invalid_token', `The token is invalid (${describe(error)})`);
      }
      checkTokenLifetime(payload, maxLifetime, Date.now());
      return principalOf(payload);
    },
  };
}

function checkMaxLifetime(value: number | undefined): number {
  if (value === undefined) return defaultMaxTokenLifetime;
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1_000))
    throw new ConfigError('maxTokenLifetime', value, 'a lifetime in milliseconds, at least 1000');
  return value;
}

function principalOf(payload: JWTPayload): Principal {
  const { sub, role } = payload;
  if (typeof sub !== 'string' || sub === '')
    throw new AuthError('invalid_token', "The token has no 'sub' claim");
  if (typeof role !== 'string' || !(roles as readonly string[]).includes(role))
    throw new AuthError('invalid_token', "The token's 'role' claim must be 'admin' or 'viewer'");
  return { sub, role: role as Role };
}

/** jose's error code only: its messages are safe, but a code is enough and never echoes input. */
function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return error.code;
  return 'malformed';
}
