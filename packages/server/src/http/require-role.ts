import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { isAuthError } from '../auth/auth-error';
import type { Principal, Role } from '../auth/auth-settings';
import type { Authenticator } from '../auth/authenticator';
import type { Refusal, RequestLimits } from '../auth/request-limits';
import { errorBody, HttpError, httpErrorCodes } from './http-error';
import { TrustedProxies } from './trusted-proxies';

export type AuthVariables = { principal: Principal };

/** Methods that only read: not counted as admin actions. */
const reads: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** No proxy trusted: the client address is the socket's peer. */
const noProxies = new TrustedProxies();

/** The token of an `Authorization: Bearer ...` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/**
 * Verifies the bearer token (401 when missing or bad) and checks the role
 * (403 when a viewer calls an admin route). Admins may do what viewers do.
 * Per client, `limits` turns away an address that presented too many bad
 * tokens this minute, and an admin who acted too often (429 with
 * `Retry-After`); reads are never counted as actions. The client is told
 * by its address as `proxies` find it (default: the socket's peer).
 */
export function requireRole(
  authenticator: Authenticator,
  role: Role,
  limits: RequestLimits,
  proxies: TrustedProxies = noProxies,
) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const address = clientAddress(c, proxies);
    const blocked = limits.checkAuthentication(address);
    if (blocked !== undefined) return tooManyRequests(c, blocked);
    const token = bearerToken(c.req.header('authorization'));
    let principal: Principal;
    try {
      principal = await authenticator.verify(token);
    } catch (error) {
      // A missing token guesses nothing; a bad one counts against its address.
      if (token !== undefined && isAuthError(error)) limits.authenticationFailed(address);
      throw error;
    }
    if (role === 'admin' && principal.role !== 'admin')
      throw new HttpError(403, httpErrorCodes.forbidden, 'This route needs the admin role');
    if (role === 'admin' && !reads.has(c.req.method)) {
      const refused = limits.takeAdminAction(principal.sub, address);
      if (refused !== undefined) return tooManyRequests(c, refused);
    }
    c.set('principal', principal);
    await next();
  });
}

/**
 * The address the request came from: under `@hono/node-server`, the socket's
 * peer, or the client a trusted proxy names in `X-Forwarded-For` (see
 * `TrustedProxies`); `unknown` when the app is served some other way (then
 * failed authentications are not limited: see `unknownAddress`).
 */
export function clientAddress(c: Context, proxies: TrustedProxies = noProxies): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return proxies.clientAddress(
    env?.incoming?.socket?.remoteAddress,
    c.req.header('x-forwarded-for'),
  );
}

function tooManyRequests(c: Context, refusal: Refusal): Response {
  const error = new HttpError(429, httpErrorCodes.tooManyRequests, refusal.message, {
    retryAfter: refusal.retryAfter,
  });
  return c.json(errorBody(error), 429, { 'Retry-After': String(refusal.retryAfter) });
}
