import { ConfigError } from '@breakwater/core';
import { decodeJwt, SignJWT } from 'jose';
import type { AuthSettings, Env, Role } from './auth-settings';
import { AuthSetupError } from './auth-setup-error';
import { secretFrom } from './signing-key';
import { defaultMaxTokenLifetime, describeSpan } from './token-lifetime';

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  /**
   * Lifetime: seconds, or a span such as `'1h'`, `'30m'`, `'12h'`. Default
   * `'1h'`; at most the settings' `maxTokenLifetime` (default a day), since
   * the server refuses a token that lives longer.
   */
  readonly ttl?: number | string;
}

/**
 * Signs an HS256 token with the configured secret (for `breakwater token`).
 * Every token carries `iat` and `exp`. Public-key settings cannot sign: the
 * identity provider holds the private key.
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
  const maxLifetime = settings.maxTokenLifetime ?? defaultMaxTokenLifetime;
  const jwt = new SignJWT({ role: request.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt();
  const readable = "seconds, or a span such as '1h', '30m' or '12h'";
  try {
    jwt.setExpirationTime(typeof ttl === 'number' ? `${ttl}s` : ttl);
  } catch {
    // jose throws a bare TypeError for a span it cannot read.
    throw new ConfigError('ttl', ttl, readable);
  }
  if (settings.issuer !== undefined) jwt.setIssuer(settings.issuer);
  if (settings.audience !== undefined) jwt.setAudience(settings.audience);
  const token = await jwt.sign(secret);
  // The lifetime as jose read the span, so the check and the token agree.
  const { iat = 0, exp = 0 } = decodeJwt(token);
  const lifetime = (exp - iat) * 1000;
  if (!(lifetime > 0)) throw new ConfigError('ttl', ttl, `a lifetime > 0: ${readable}`);
  if (lifetime > maxLifetime) {
    throw new ConfigError(
      'ttl',
      ttl,
      `at most ${describeSpan(maxLifetime)}, the longest lifetime the server accepts (auth.maxTokenLifetime)`,
    );
  }
  return token;
}
