import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BreakerRecord, Registry, type StoreErrorEvent } from '@breakwater/core';
import { createAuthenticator, createHttpApi, signToken } from '@breakwater/server';
import { LocalStore } from '@breakwater/store-local';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// A store written before durations were bounded: `PATCH .../config` took
// `resetTimeout: 9e15`, the breaker tripped, and its record ends 285 000
// years from now. Reading its status threw a RangeError, after which every
// route (health and /metrics included) answered 500 and `serve` would not
// start on the file. Opened by this version, every route answers.

const env = { BREAKWATER_JWT_SECRET: 'an-old-store-secret-that-is-long-enough' };
const services = { payments: {}, checkout: { dependsOn: ['payments'] } };

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'breakwater-old-store-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

/** The file such a version left behind. */
async function oldStoreFile(): Promise<string> {
  const file = join(folder, 'state.db');
  const store = await LocalStore.open(file);
  const now = Date.now();
  const record: BreakerRecord = {
    name: 'payments',
    version: 4,
    state: 'open',
    stateSince: now - 60_000,
    openUntil: now - 60_000 + 9e15,
    recoveryAttempts: 0,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: now - 60_000,
    totals: { attempts: 7, successes: 2, failures: 5, ignored: 0, rejected: 3, timeouts: 0 },
  };
  await store.saveBreaker(record);
  await store.close();
  // This version refuses to save such an override: write it as the old one did.
  const db = new Database(file);
  db.prepare(
    "INSERT INTO overrides (service, options, updated_at) VALUES ('payments', ?, '2026-01-01')",
  ).run(JSON.stringify({ resetTimeout: 9e15, failureThreshold: 2 }));
  db.close();
  return file;
}

describe('a store holding a record no Date can show', () => {
  it('restores, and health, metrics, status and audit all answer', async () => {
    const store = await LocalStore.open(await oldStoreFile());
    const lines: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => lines.push(args);
    let registry: Registry;
    try {
      registry = await Registry.open({ store, services });
    } finally {
      console.error = original;
    }
    const reported: StoreErrorEvent[] = [];
    registry.on('storeError', (event) => reported.push(event));
    const authenticator = createAuthenticator(undefined, env);
    const app = createHttpApi({ registry, authenticator });
    const admin = await signToken({ sub: 'ops', role: 'admin' }, undefined, env);
    const auth = { authorization: `Bearer ${admin}` };

    const health = await app.request('/api/health/circuit-breaker?service=payments');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      circuitBreaker: { state: 'open', failures: 0 },
    });

    const metrics = await app.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/breakwater_circuit_state\{[^}]*service="payments"/);

    const one = await app.request('/api/circuit-breakers/payments', { headers: auth });
    expect(one.status).toBe(200);
    const status = (await one.json()) as Record<string, unknown>;
    // Open for the longest period any option allows, not for 285 000 years.
    expect(status).toMatchObject({ state: 'open', totalFailures: 5 });
    expect(status.recoveryIn).toBeGreaterThan(2_147_000_000);
    expect(status.recoveryIn).toBeLessThanOrEqual(2_147_483_647);
    expect(Date.parse(status.openUntil as string)).toBeLessThan(Date.now() + 2_147_483_648);
    // The old override is left out (reported), so the defaults apply.
    expect(status).toMatchObject({ currentResetTimeout: 30_000 });

    const all = await app.request('/api/circuit-breakers/health', { headers: auth });
    expect(all.status).toBe(200);
    expect((await app.request('/api/audit', { headers: auth })).status).toBe(200);

    // The operator can act on it: a reset closes it, and it saves as a valid record.
    const reset = await app.request('/api/circuit-breakers/payments/reset', {
      method: 'POST',
      headers: auth,
    });
    expect(await reset.json()).toMatchObject({ before: 'open', after: 'closed' });
    await registry.close();
    expect(reported).toEqual([]);

    // What was taken up differently was said, naming the breaker and the value.
    const said = lines.map(([text, error]) => `${String(text)} ${(error as Error).message}`);
    expect(said).toEqual([
      expect.stringMatching(/loadOverrides\(payments\).*'resetTimeout': 9000000000000000/),
      expect.stringMatching(/restore\(payments\).*'record\.openUntil'/),
    ]);
  });
});
