/** The claims of a token that the dashboard shows and acts on. */
export interface TokenIdentity {
  /** Who the token names: the actor the audit log records. */
  readonly sub: string;
  /** `admin` or `viewer` (another value is shown as it is and gets no controls). */
  readonly role: string;
  /** Expiry, epoch seconds, when the token has one. */
  readonly exp: number | undefined;
}

/** A token that is not a readable JWT; the message says what is wrong with it. */
export class MalformedTokenError extends Error {
  override readonly name = 'MalformedTokenError';
}

/**
 * Reads a JWT's payload without verifying it: the monitor verifies every
 * request, so the page only needs to know whom to show and whether to offer
 * the admin controls. A malformed token throws a `MalformedTokenError`.
 */
export function decodeJwtPayload(token: string): TokenIdentity {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    throw new MalformedTokenError(
      `This is not a JWT: expected three parts separated by dots, got ${parts.length}`,
    );
  }
  const payload = parseJson(decodeBase64Url(parts[1] ?? ''));
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new MalformedTokenError("The token's payload is not a JSON object");
  }
  const { sub, role, exp } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') {
    throw new MalformedTokenError("The token has no 'sub' claim (who it belongs to)");
  }
  if (typeof role !== 'string' || role === '') {
    throw new MalformedTokenError("The token has no 'role' claim (admin or viewer)");
  }
  return { sub, role, exp: typeof exp === 'number' ? exp : undefined };
}

function decodeBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new MalformedTokenError("The token's payload is not base64url");
  }
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  let binary: string;
  try {
    binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  } catch {
    throw new MalformedTokenError("The token's payload is not base64url");
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedTokenError("The token's payload is not UTF-8 text");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedTokenError("The token's payload is not JSON");
  }
}
