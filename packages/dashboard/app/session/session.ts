import { takeFragmentToken } from './fragment-token';
import { decodeJwtPayload, type TokenIdentity } from './jwt-payload';
import { tokenStorage } from './token-storage';

/** A signed-in page: the token and what it says about its holder. */
export interface Session {
  readonly token: string;
  readonly identity: TokenIdentity;
}

/** Either a session, or the login form with the reason it is shown (if any). */
export type SessionState =
  | { readonly session: Session; readonly reason?: undefined }
  | { readonly session?: undefined; readonly reason: string | undefined };

/**
 * Starts a session from a token: checks that it reads as a JWT and keeps it
 * for the tab. A malformed token gives the login form with what is wrong.
 */
export function signIn(token: string): SessionState {
  try {
    const identity = decodeJwtPayload(token);
    const trimmed = token.trim();
    tokenStorage.write(trimmed);
    return { session: { token: trimmed, identity } };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Forgets the token; the login form shows `reason` when given. */
export function signOut(reason?: string): SessionState {
  tokenStorage.clear();
  return { reason };
}

/**
 * The session the page starts with: a `#token=` in the address takes
 * precedence (and is removed from the address bar at once, so it stays out
 * of the history and of a shared screen), else the token kept for this tab.
 */
export function sessionFromPage(): SessionState {
  const fromFragment = takeTokenFromAddress();
  if (fromFragment !== undefined) return signIn(fromFragment);
  const kept = tokenStorage.read();
  return kept === undefined ? { reason: undefined } : signIn(kept);
}

/** The token of the address' fragment, removed from the address bar; undefined without one. */
export function takeTokenFromAddress(): string | undefined {
  const { token, hash } = takeFragmentToken(window.location.hash);
  if (token === undefined) return undefined;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
  return token;
}
