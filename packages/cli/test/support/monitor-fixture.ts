import { createServer } from 'node:net';
import { Registry } from '@breakwater/core';
import { createMonitor, type Monitor, signToken } from '@breakwater/server';
import { afterEach, beforeEach } from 'vitest';

const env = { BREAKWATER_JWT_SECRET: 'an-operator-test-secret-of-32-characters' };

export interface RunningFixture {
  readonly registry: Registry;
  readonly monitor: Monitor;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A token of `alice`, admin. */
  readonly admin: string;
  /** A token of `bob`, viewer. */
  readonly viewer: string;
}

/**
 * Call at the top of a test file: before each test, a real monitor on a
 * free port over a registry of three services (`database` opens on its
 * first failure; `payments` and `ledger` depend on it), stopped after it.
 */
export function monitorFixture(): () => RunningFixture {
  let current: RunningFixture | undefined;
  beforeEach(async () => {
    const registry = new Registry({
      services: {
        database: { failureThreshold: 1, resetTimeout: 60_000 },
        payments: { dependsOn: ['database'] },
        ledger: { dependsOn: ['database'] },
      },
    });
    const monitor = createMonitor({ registry, env, log: () => {} });
    const { url } = await monitor.start({ port: 0 });
    const admin = await signToken({ sub: 'alice', role: 'admin' }, undefined, env);
    const viewer = await signToken({ sub: 'bob', role: 'viewer' }, undefined, env);
    current = { registry, monitor, url, admin, viewer };
  });
  afterEach(async () => {
    await current?.monitor.stop();
    await current?.registry.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('the monitor fixture runs in tests only');
    return current;
  };
}

/** Opens `database`'s circuit through a failed call, as traffic would. */
export async function tripDatabase(registry: Registry): Promise<void> {
  await registry
    .breaker('database')
    .execute(() => Promise.reject(new Error('connection refused')))
    .catch(() => {});
}

/** A token signed with another secret: the monitor refuses it. */
export function foreignToken(): Promise<string> {
  return signToken({ sub: 'mallory', role: 'admin' }, undefined, {
    BREAKWATER_JWT_SECRET: 'not-the-monitors-secret-but-32-characters',
  });
}

/** `http://127.0.0.1:PORT` of a port that was free a moment ago and is closed now. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
