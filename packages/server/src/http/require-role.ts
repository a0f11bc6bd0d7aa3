import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { isAuthError } from '../auth/auth-error';
import type { Principal, Role } from '../auth/auth-settings';
import type { Authenticator } from '../auth/authenticator';
import { type Refusal, type RequestLimits, unknownAddress } from '../auth/request-limits';
import { errorBody, HttpError, httpErrorCodes } from './http-error';

export type AuthVariables = { principal: Principal };

/** Methods that only read: not counted as admin actions. */
const reads: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

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
 * `Retry-After`); reads are never counted as actions.
 */
export function requireRole(authenticator: Authenticator, role: Role, limits: RequestLimits) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const address = clientAddress(c);
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
 * The address the request came from: the socket's peer under
 * `@hono/node-server` (a proxy in front makes every client look like the
 * proxy), or `unknown` when the app is served some other way (then failed
 * authentications are not limited: see `unknownAddress`).
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? unknownAddress;
}

function tooManyRequests(c: Context, refusal: Refusal): Response {
  const error = new HttpError(429, httpErrorCodes.tooManyRequests, refusal.message, {
    retryAfter: refusal.retryAfter,
  });
  return c.json(errorBody(error), 429, { 'Retry-After': String(refusal.retryAfter) });
}
