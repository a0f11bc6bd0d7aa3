import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { SignJWT } from 'jose';
import { createAuthenticator, createHttpApi, type Role, ServiceHistory } from '../../src/index';

const secret = 'http-test-secret-that-is-long-enough-42';

/** An HS256 token minted independently of the server's own signer. */
export function token(sub: string, role: Role | string, exp: string | number = '1h') {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}

/** A registry of three services on a fake clock, and the API over it (its history sampled on that clock). */
export function fixture() {
  const clock = new FakeClock();
  const registry = new Registry({
    clock,
    services: {
      database: { failureThreshold: 2, latencySampling: 1 },
      'market-data': { dependsOn: ['database'], latencySampling: 1 },
      payments: {},
    },
  });
  const authenticator = createAuthenticator(
    { algorithm: 'HS256' },
    { BREAKWATER_JWT_SECRET: secret },
  );
  const history = new ServiceHistory({ registry, clock });
  history.start();
  const app = createHttpApi({ registry, authenticator, history });
  return { clock, registry, app, history };
}

export function bearer(value: string): Record<string, string> {
  return { authorization: `Bearer ${value}` };
}

/** One failed call of `name` (rejected without running when its circuit is open). */
export async function fail(registry: Registry, name: string): Promise<void> {
  await registry
    .breaker(name)
    .execute(async () => Promise.reject(new Error('down')))
    .catch(() => undefined);
}
