import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CircuitBreakerMonitor,
  type CircuitBreakerMonitorOptions,
  type ClientError,
  clientErrorCodes,
  isClientError,
} from '../src/index';
import { MonitorEvents } from './support/monitor-events';
import { RealMonitor, tokenFor } from './support/real-monitor';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startMonitor(): Promise<RealMonitor> {
  const server = await new RealMonitor().start(0);
  cleanups.push(() => server.stop());
  return server;
}

function connect(
  server: RealMonitor,
  token: string,
  options: Partial<CircuitBreakerMonitorOptions> = {},
) {
  const monitor = new CircuitBreakerMonitor({ url: server.url, token, WebSocket, ...options });
  cleanups.push(() => monitor.disconnect());
  return { monitor, events: new MonitorEvents(monitor) };
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<ClientError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  if (!isClientError(error)) throw error;
  return error;
}

const fail = () => Promise.reject(new Error('market data feed down'));

describe('CircuitBreakerMonitor against the real monitor', () => {
  it('connects, takes the full state, and follows a breaker that trips', async () => {
    const server = await startMonitor();
    const { monitor, events } = connect(server, await tokenFor('viewer', 'victor'));
    expect(monitor.status).toBe('disconnected');

    await events.status('connected');
    expect(monitor.status).toBe('connected');
    const initial = await events.services((services) => services.length === 3);
    expect(initial.map((s) => s.service)).toEqual(['market-data', 'wallet', 'checkout']);
    expect(initial[0]?.circuit).toMatchObject({ state: 'closed', phase: 'closed' });

    const marketData = server.registry.get('market-data');
    for (let i = 0; i < 2; i++) await marketData?.execute(fail).catch(() => {});
    const tripped = await events.service('market-data', (s) => s.circuit.phase === 'open');
    expect(tripped).toMatchObject({
      status: 'failed',
      circuit: { state: 'open', failureCount: 2 },
      operations: { failed: 2 },
    });
    const wallet = await events.service('wallet', (s) => s.status === 'degraded');
    expect(wallet.circuit.degradedBy).toEqual(['market-data']);
    expect(events.errors).toEqual([]);
  });

  it('runs every operator action for an admin, audited with the token sub', async () => {
    const server = await startMonitor();
    const { monitor, events } = connect(server, await tokenFor('admin', 'alice'));
    await events.status('connected');

    expect(await monitor.forceOpen('wallet')).toMatchObject({
      type: 'circuit:force-open',
      service: 'wallet',
      before: 'closed',
      after: 'forced-open',
    });
    await events.service(
      'wallet',
      (s) => s.circuit.phase === 'forced-open' && s.status === 'failed',
    );
    expect(await monitor.reset('wallet')).toMatchObject({ before: 'forced-open', after: 'closed' });
    await events.service('wallet', (s) => s.circuit.phase === 'closed');
    expect(await monitor.disable('wallet')).toMatchObject({ after: 'disabled' });
    await events.service('wallet', (s) => s.circuit.phase === 'disabled');
    expect(await monitor.release('wallet')).toMatchObject({ before: 'disabled', after: 'closed' });
    await events.service('wallet', (s) => s.circuit.phase === 'closed');

    const audit = await server.registry.audit({ service: 'wallet', limit: 4 });
    expect(audit.map((entry) => [entry.action, entry.actor.id])).toEqual(
      expect.arrayContaining([
        ['force-open', 'alice'],
        ['reset', 'alice'],
        ['disable', 'alice'],
        ['release', 'alice'],
      ]),
    );
  });

  it('resets a tripped circuit as admin; the state follows', async () => {
    const server = await startMonitor();
    const { monitor, events } = connect(server, await tokenFor('admin', 'alice'));
    const marketData = server.registry.get('market-data');
    for (let i = 0; i < 2; i++) await marketData?.execute(fail).catch(() => {});
    await events.service('market-data', (s) => s.circuit.state === 'open');

    const reply = await monitor.reset('market-data');
    expect(reply).toMatchObject({ service: 'market-data', before: 'open', after: 'closed' });
    const closed = await events.service('market-data', (s) => s.circuit.state === 'closed');
    expect(closed.circuit.phase).toBe('closed');
  });

  it("refuses a viewer's actions with BW_ACTION_FORBIDDEN (4003), changing nothing, and stays connected", async () => {
    const server = await startMonitor();
    await server.registry.forceOpen('market-data');
    const { monitor, events } = connect(server, await tokenFor('viewer', 'victor'));
    await events.status('connected');

    for (const act of [
      () => monitor.reset('market-data'),
      () => monitor.forceOpen('market-data'),
      () => monitor.release('market-data'),
    ]) {
      const error = await rejection(act());
      expect(error).toMatchObject({
        name: 'ClientError',
        code: clientErrorCodes.actionForbidden,
        closeCode: 4003,
        service: 'market-data',
      });
      expect(error.message).toContain('admin');
    }
    expect(server.registry.get('market-data')?.state).toBe('forced-open');
    expect(monitor.status).toBe('connected');
    expect(events.statuses).toEqual(['connected']);
    expect(events.errors).toEqual([]);
  });

  it('fails an action on an unknown service with BW_ACTION_FAILED (4004) naming it', async () => {
    const server = await startMonitor();
    const { monitor } = connect(server, await tokenFor('admin', 'alice'));
    const error = await rejection(monitor.forceOpen('nowhere'));
    expect(error).toMatchObject({
      code: clientErrorCodes.actionFailed,
      closeCode: 4004,
      action: 'circuit:force-open',
      service: 'nowhere',
    });
    expect(error.message).toContain('Unknown service: nowhere');
    // The next action is answered as its own.
    expect(await monitor.forceOpen('wallet')).toMatchObject({ after: 'forced-open' });
  });

  it('sends actions asked for before the connection is made, one at a time, in order', async () => {
    const server = await startMonitor();
    const { monitor } = connect(server, await tokenFor('admin', 'alice'));
    const replies = await Promise.all([
      monitor.forceOpen('checkout'),
      monitor.release('checkout'),
      monitor.forceOpen('checkout'),
    ]);
    expect(replies.map((reply) => `${reply.before}→${reply.after}`)).toEqual([
      'closed→forced-open',
      'forced-open→closed',
      'closed→forced-open',
    ]);
  });

  it('stops on a refused token (4001): an error saying why, disconnected, no reconnection', async () => {
    const server = await startMonitor();
    const clock = new FakeClock();
    const { monitor, events } = connect(server, 'not.a.valid-token', { clock });
    const pending = rejection(monitor.reset('wallet'));

    const error = await events.error();
    expect(error).toMatchObject({ code: clientErrorCodes.tokenRefused, closeCode: 4001 });
    expect(error.message).toContain('refused the token');
    expect(error.message).not.toContain('not.a.valid-token');
    await events.status('disconnected');
    expect(events.statuses).toEqual(['disconnected']);
    expect(clock.pendingTimers).toBe(0);
    expect(monitor.status).toBe('disconnected');

    const failed = await pending;
    expect(failed).toMatchObject({ code: clientErrorCodes.clientClosed, cause: error });
  });

  it('disconnect() closes for good: pending and later actions fail with BW_CLIENT_CLOSED', async () => {
    const server = await startMonitor();
    const clock = new FakeClock();
    const { monitor, events } = connect(server, await tokenFor('admin', 'alice'), { clock });
    await events.status('connected');
    monitor.disconnect();
    await events.status('disconnected');
    expect(clock.pendingTimers).toBe(0);
    expect(await rejection(monitor.reset('wallet'))).toMatchObject({
      code: clientErrorCodes.clientClosed,
      action: 'circuit:reset',
      service: 'wallet',
    });
    monitor.disconnect(); // harmless
    expect(events.statuses).toEqual(['connected', 'disconnected']);
  });
});
