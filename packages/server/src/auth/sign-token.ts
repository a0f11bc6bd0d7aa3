import { ConfigError } from '@breakwater/core';
import { SignJWT } from 'jose';
import type { AuthSettings, Env, Role } from './auth-settings';
import { AuthSetupError } from './auth-setup-error';
import { secretFrom } from './signing-key';

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  /** Lifetime: seconds, or a span such as `'1h'`, `'30m'`, `'7d'`. Default `'1h'`. */
  readonly ttl?: number | string;
}

/**
 * Signs an HS256 token with the configured secret (for `breakwater token`).
 * Public-key settings cannot sign: the identity provider holds the private key.
 */
export async function signToken(
  request: TokenRequest,
  settings: AuthSettings = { algorithm: 'HS256' },
  env: Env = process.env,
): Promise<string> {
  if (settings.algorithm !== 'HS256')
    throw new AuthSetupError(
      `Cannot sign ${settings.algorithm} tokens: only the identity provider holds the private key`,
    );
  const secret = secretFrom(settings, env);
  const ttl = request.ttl ?? '1h';
  const jwt = new SignJWT({ role: request.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt();
  try {
    jwt.setExpirationTime(typeof ttl === 'number' ? `${ttl}s` : ttl);
  } catch {
    // jose throws a bare TypeError for a span it cannot read.
    throw new ConfigError('ttl', ttl, "seconds, or a span such as '1h', '30m' or '7d'");
  }
  if (settings.issuer !== undefined) jwt.setIssuer(settings.issuer);
  if (settings.audience !== undefined) jwt.setAudience(settings.audience);
  return jwt.sign(secret);
}
