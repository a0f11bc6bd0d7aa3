import type { JWTPayload } from 'jose';
import { AuthError } from './auth-error';

/** The longest token lifetime accepted when none is configured, ms: a day. */
export const defaultMaxTokenLifetime = 86_400_000;

/** How far ahead of this server a signer's clock may run, ms. */
const clockSkew = 60_000;

/**
 * Refuses a token that never expires, or lives longer than `maxLifetime`
 * ms: from `iat` to `exp`, or from now to `exp` (the longer of the two, so a
 * future `iat` buys nothing). A stolen token is then good for a bounded time.
 */
export function checkTokenLifetime(payload: JWTPayload, maxLifetime: number, nowMs: number): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') {
    throw new AuthError(
      'invalid_token',
      `The token has no expiry ('exp' claim): this server accepts only tokens that expire within ${describeSpan(maxLifetime)}; mint one with 'breakwater token --expires-in'`,
    );
  }
  const fromNow = exp * 1000 - nowMs;
  const fromIssue = typeof iat === 'number' ? (exp - iat) * 1000 : 0;
  // The signer's clock may run a little ahead of this server's.
  if (fromIssue > maxLifetime || fromNow > maxLifetime + clockSkew) {
    const lifetime = Math.max(fromNow, fromIssue);
    throw new AuthError(
      'invalid_token',
      `The token lives ${describeSpan(lifetime)}, longer than the ${describeSpan(maxLifetime)} this server accepts (auth.maxTokenLifetime): mint a shorter-lived one`,
    );
  }
}

/** A span in the largest unit it fills, for people: `1 day`, `12 h`, `1.5 h`, `90 s`. */
export function describeSpan(ms: number): string {
  const units: ReadonlyArray<readonly [number, string, string]> = [
    [86_400_000, 'day', 'days'],
    [3_600_000, 'h', 'h'],
    [60_000, 'min', 'min'],
  ];
  for (const [size, one, many] of units) {
    if (ms >= size) {
      const count = Math.round((ms / size) * 10) / 10;
      return `${count} ${count === 1 ? one : many}`;
    }
  }
  return `${Math.round(ms / 1000)} s`;
}
