import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AuthSettings, defaultSecretEnv, type Env, minSecretLength } from './auth-settings';
import { AuthSetupError } from './auth-setup-error';

/** The HS256 secret from the environment; throws naming the variable (never the value). */
export function secretFrom(settings: AuthSettings & { algorithm: 'HS256' }, env: Env): Uint8Array {
  const variable = settings.jwtSecretEnv ?? defaultSecretEnv;
  const secret = env[variable];
  if (secret === undefined || secret === '')
    throw new AuthSetupError(
      `The JWT secret is missing: set the environment variable ${variable} (at least ${minSecretLength} characters)`,
    );
  if (secret.length < minSecretLength)
    throw new AuthSetupError(
      `The JWT secret in ${variable} is too short: ${secret.length} characters, at least ${minSecretLength} needed`,
    );
  return new TextEncoder().encode(secret);
}

/** The public key of an RS256 / ES256 setting, read once; throws naming the file. */
export function publicKeyFrom(
  settings: AuthSettings & { algorithm: 'RS256' | 'ES256' },
): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(settings.publicKeyFile, 'utf8');
  } catch (error) {
    throw new AuthSetupError(`Cannot read the public key file ${settings.publicKeyFile}`, {
      cause: error,
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new AuthSetupError(`${settings.publicKeyFile} does not hold a PEM public key`, {
      cause: error,
    });
  }
  const wanted = settings.algorithm === 'RS256' ? 'rsa' : 'ec';
  if (key.asymmetricKeyType !== wanted)
    throw new AuthSetupError(
      `${settings.publicKeyFile} holds an ${key.asymmetricKeyType ?? 'unknown'} key; ${settings.algorithm} needs an ${wanted} key`,
    );
  return key;
}
