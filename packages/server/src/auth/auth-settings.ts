/**
 * How tokens are verified: the same shape as `AuthConfig` of
 * `@breakwater/config`, repeated here so the server does not depend on the
 * config loader (an embedding application may build it by hand).
 */
export type AuthSettings =
  | (TokenRules & {
      readonly algorithm: 'HS256';
      /** Environment variable holding the secret. Default `BREAKWATER_JWT_SECRET`. */
      readonly jwtSecretEnv?: string | undefined;
    })
  | (TokenRules & {
      readonly algorithm: 'RS256' | 'ES256';
      /** Path of the PEM public key. */
      readonly publicKeyFile: string;
    });

/** What a token must carry beside its signature. */
interface TokenRules {
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /**
   * Longest lifetime a token may have, ms: `exp` − `iat`, or `exp` − now
   * without `iat`. Every token must expire. Default 86 400 000 (a day).
   */
  readonly maxTokenLifetime?: number | undefined;
}

/** The variable read when `jwtSecretEnv` is not set. */
export const defaultSecretEnv = 'BREAKWATER_JWT_SECRET';

/** Shortest HS256 secret accepted, in characters (256 bits of ASCII). */
export const minSecretLength = 32;

/** Who may do what: viewers read, admins also steer. */
export type Role = 'admin' | 'viewer';

/** The verified caller. */
export interface Principal {
  /** The token's `sub` claim: recorded as the actor in the audit log. */
  readonly sub: string;
  readonly role: Role;
}

export type Env = Readonly<Record<string, string | undefined>>;
