import { resolve } from 'node:path';
import type { Issues } from '../issues';
import { checkWith } from './check-with';
import { milliseconds, oneOf, strict, text } from './fields';

/** Who may read (viewer) and steer (admin) the monitor: JWTs with claims `sub` and `role`. */
interface AuthBase {
  /** Required `iss` claim, when set. */
  readonly issuer: string | undefined;
  /** Required `aud` claim, when set. */
  readonly audience: string | undefined;
  /** Longest token lifetime accepted (ms): `exp` − `iat` (or − now, without `iat`). Default 86 400 000 (24 h). */
  readonly maxTokenLifetime: number;
}

/** Tokens signed with a shared secret, read from the environment at start-up. */
export interface SecretAuthConfig extends AuthBase {
  readonly algorithm: 'HS256';
  /** Name of the environment variable holding the secret. Default `BREAKWATER_JWT_SECRET`. */
  readonly jwtSecretEnv: string;
}

/** Tokens signed by an identity provider, verified with its public key. */
export interface PublicKeyAuthConfig extends AuthBase {
  readonly algorithm: 'RS256' | 'ES256';
  /** Absolute path of the PEM public key (written relative to the config file's folder). */
  readonly publicKeyFile: string;
}

/** How tokens are verified. The secret itself never lives in the file. */
export type AuthConfig = SecretAuthConfig | PublicKeyAuthConfig;

export const defaultJwtSecretEnv = 'BREAKWATER_JWT_SECRET';

/** Default longest token lifetime, ms: a day. */
export const defaultMaxTokenLifetime = 86_400_000;
/** The range `auth.maxTokenLifetime` may take, ms: a minute to a year. */
const minTokenLifetime = 60_000;
const maxTokenLifetime = 31_536_000_000;

const authSchema = strict(
  {
    jwtSecretEnv: text('an environment variable name')
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: () => 'an environment variable name (letters, digits, _)',
      })
      .optional(),
    publicKeyFile: text('a path to a PEM public key file').optional(),
    algorithm: oneOf(['HS256', 'RS256', 'ES256']).default('HS256'),
    issuer: text('a non-empty issuer (iss claim)').optional(),
    audience: text('a non-empty audience (aud claim)').optional(),
    maxTokenLifetime: milliseconds(minTokenLifetime, maxTokenLifetime).default(
      defaultMaxTokenLifetime,
    ),
  },
  'a mapping with jwtSecretEnv, publicKeyFile, algorithm, issuer, audience, maxTokenLifetime',
);

/**
 * Checks the `auth` section. HS256 (the default) reads the secret from the
 * environment variable `jwtSecretEnv` when the server starts; RS256 / ES256
 * need `publicKeyFile`. A setting the chosen algorithm would not use is an
 * error rather than silently ignored.
 */
export function checkAuth(input: unknown, baseDir: string, issues: Issues): AuthConfig | undefined {
  const auth = checkWith(authSchema, input ?? {}, ['auth'], issues);
  if (auth === undefined) return undefined;
  const { algorithm, issuer, audience, jwtSecretEnv, publicKeyFile, maxTokenLifetime } = auth;
  if (algorithm === 'HS256') {
    if (publicKeyFile !== undefined) {
      issues.add(
        ['auth', 'publicKeyFile'],
        publicKeyFile,
        'no public key with algorithm HS256 (set algorithm: RS256 or ES256 to verify with it)',
      );
      return undefined;
    }
    const secretEnv = jwtSecretEnv ?? defaultJwtSecretEnv;
    return { algorithm, jwtSecretEnv: secretEnv, issuer, audience, maxTokenLifetime };
  }
  let valid = true;
  if (publicKeyFile === undefined) {
    issues.add(
      ['auth', 'publicKeyFile'],
      undefined,
      `a path to a PEM public key file (algorithm ${algorithm} needs one)`,
    );
    valid = false;
  }
  if (jwtSecretEnv !== undefined) {
    issues.add(
      ['auth', 'jwtSecretEnv'],
      jwtSecretEnv,
      `nothing with algorithm ${algorithm} (a secret is only used with HS256)`,
    );
    valid = false;
  }
  if (!valid || publicKeyFile === undefined) return undefined;
  const keyFile = resolve(baseDir, publicKeyFile);
  return { algorithm, publicKeyFile: keyFile, issuer, audience, maxTokenLifetime };
}
