import { createMiddleware } from 'hono/factory';
import type { Principal, Role } from '../auth/auth-settings';
import type { Authenticator } from '../auth/authenticator';
import { HttpError, httpErrorCodes } from './http-error';

export type AuthVariables = { principal: Principal };

/** The token of an `Authorization: Bearer ...` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/**
 * Verifies the bearer token (401 when missing or bad) and checks the role
 * (403 when a viewer calls an admin route). Admins may do what viewers do.
 */
export function requireRole(authenticator: Authenticator, role: Role) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const principal = await authenticator.verify(bearerToken(c.req.header('authorization')));
    if (role === 'admin' && principal.role !== 'admin')
      throw new HttpError(403, httpErrorCodes.forbidden, 'This route needs the admin role');
    c.set('principal', principal);
    await next();
  });
}
