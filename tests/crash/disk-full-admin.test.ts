import { isStoreUnavailableError, Registry } from '@breakwater/core';
import { createAuthenticator, createHttpApi, ServiceHistory, signToken } from '@breakwater/server';
import { LocalStore } from '@breakwater/store-local';
import { afterEach, expect, it } from 'vitest';
import { describeWithTinyDisk, useTinyDisk } from '../support/tiny-disk';

// The operator's view of a full disk: admin actions through the HTTP API on a
// registry whose LocalStore sits on a real tmpfs that fills up. An answer of
// 200 must mean the action survives a restart; a refused one must answer 503
// naming the store and leave no trace.

const tinyDisk = useTinyDisk(1024 * 1024);
const env = { BREAKWATER_JWT_SECRET: 'a-disk-full-test-secret-of-32-characters' };
const services = { payments: { failureThreshold: 2 }, checkout: { failureThreshold: 2 } };

/** The fields of the API's answers this test reads. */
interface Answer {
  readonly error?: Record<string, unknown>;
  readonly state?: string;
  readonly options?: Record<string, unknown>;
  readonly entries?: Array<{ readonly action: string }>;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A monitor's HTTP API on a registry restored from `file`, and an admin's request helper. */
async function monitorOn(file: string) {
  const store = await LocalStore.open(file);
  const registry = await Registry.open({ store, services });
  const history = new ServiceHistory({ registry });
  // Writes behind the calls that fail meanwhile (an undone action's record, the checkpoint at close).
  const storeErrors: unknown[] = [];
  registry.on('storeError', (event) => storeErrors.push(event.error));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    history.stop();
    await registry.close();
  };
  cleanup.push(close);
  const authenticator = createAuthenticator({ algorithm: 'HS256' }, env);
  const app = createHttpApi({ registry, authenticator, history });
  const token = await signToken({ sub: 'alice', role: 'admin' }, undefined, env);
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  return { registry, request, close, storeErrors };
}

describeWithTinyDisk('admin actions while the store’s disk is full', () => {
  it('answer 503 naming the store; after a restart every 200 is there and nothing refused is', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    const monitor = await monitorOn(file);
    expect(
      (await monitor.request('POST', '/api/circuit-breakers/payments/force-open')).status,
    ).toBe(200);

    disk.fill();
    const refused = [
      await monitor.request('POST', '/api/circuit-breakers/payments/release'),
      await monitor.request('POST', '/api/circuit-breakers/checkout/force-open'),
      await monitor.request('POST', '/api/circuit-breakers/checkout/disable'),
      await monitor.request('PATCH', '/api/circuit-breakers/checkout/config', {
        failureThreshold: 7,
      }),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({
        code: 'BW_STORE_UNAVAILABLE',
        store: `LocalStore '${file}'`,
        message: expect.stringContaining('the disk is full'),
      });
    }
    // The monitor does not show what it refused.
    const payments = await monitor.request('GET', '/api/circuit-breakers/payments');
    const checkout = await monitor.request('GET', '/api/circuit-breakers/checkout');
    expect([payments.body.state, checkout.body.state]).toEqual(['forced-open', 'closed']);
    expect(checkout.body.options).toMatchObject({ failureThreshold: 2 });
    const audit = await monitor.request('GET', '/api/audit');
    expect(audit.body.entries?.map((entry) => entry.action)).toEqual(['force-open']);

    await monitor.close();
    for (const error of monitor.storeErrors) expect(isStoreUnavailableError(error)).toBe(true);
    disk.free();
    const restarted = await monitorOn(file);
    expect(restarted.registry.breaker('payments').state).toBe('forced-open');
    expect(restarted.registry.breaker('checkout').state).toBe('closed');
    expect(restarted.registry.breaker('checkout').options.failureThreshold).toBe(2);
    expect(
      (await restarted.registry.audit()).map((entry) => [
        entry.action,
        entry.target,
        entry.actor.id,
      ]),
    ).toEqual([['force-open', 'payments', 'alice']]);
  });
});
