import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '@breakwater/store-local';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, startBreakwater } from './support/breakwater-process';

const folder = mkdtempSync(join(tmpdir(), 'breakwater-old-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A configuration on a store file an older version left behind: an override
 * `resetTimeout: 9e15` taken by `PATCH .../config` before durations were
 * bounded, and the open record it led to, ending 285 000 years from now.
 */
async function oldStoreConfig(): Promise<string> {
  const storeFile = join(folder, 'breakwater.db');
  const store = await LocalStore.open(storeFile);
  const now = Date.now();
  await store.saveBreaker({
    name: 'payments',
    version: 2,
    state: 'open',
    stateSince: now - 1_000,
    openUntil: now - 1_000 + 9e15,
    recoveryAttempts: 0,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: now - 1_000,
    totals: { attempts: 5, successes: 0, failures: 5, ignored: 0, rejected: 0, timeouts: 0 },
  });
  await store.close();
  const db = new Database(storeFile);
  db.prepare(
    "INSERT INTO overrides (service, options, updated_at) VALUES ('payments', ?, '2026-01-01')",
  ).run('{"resetTimeout":9e15}');
  db.close();
  const config = join(folder, 'breakwater.yaml');
  writeFileSync(config, 'services:\n  payments: {}\nstore: { type: local, path: breakwater.db }\n');
  return config;
}

describe('breakwater serve on a store an older version wrote', () => {
  it('starts, answers health and metrics, and says on stderr what it took up differently', async () => {
    const config = await oldStoreConfig();
    const env = childEnv({ BREAKWATER_JWT_SECRET: 'an-old-store-serve-secret-of-32-chars' });
    const process = startBreakwater(
      ['serve', '--config', config, '--port', '0', '--no-dashboard'],
      env,
    );
    const stdout = await process.until((out) => /^listening on http:\/\/\S+\n/m.test(out));
    const url = /^listening on (http:\/\/\S+)\n/m.exec(stdout)?.[1] ?? '';

    const health = await fetch(`${url}/api/health/circuit-breaker?service=payments`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      circuitBreaker: { state: 'open' },
    });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    await metrics.arrayBuffer();

    process.child.kill('SIGTERM');
    const exit = await process.exit;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/loadOverrides\(payments\).*'resetTimeout': 9000000000000000/);
    expect(exit.stderr).toMatch(/restore\(payments\).*'record\.openUntil'/);
  });
});
