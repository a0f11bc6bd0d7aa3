import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CircuitBreakerMonitor,
  type CircuitBreakerMonitorOptions,
  clientErrorCodes,
} from '../src/index';
import { MonitorEvents } from './support/monitor-events';
import { RealMonitor, streamUrl, tokenFor } from './support/real-monitor';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A monitor that has been started once and stopped: its port refuses connections until restarted. */
async function stoppedMonitor(): Promise<RealMonitor> {
  const server = await new RealMonitor().start(0);
  await server.stop();
  cleanups.push(() => server.stop());
  return server;
}

async function connect(port: number, options: Partial<CircuitBreakerMonitorOptions>) {
  const token = await tokenFor('admin', 'alice');
  const monitor = new CircuitBreakerMonitor({ url: streamUrl(port), token, WebSocket, ...options });
  cleanups.push(() => monitor.disconnect());
  return { monitor, events: new MonitorEvents(monitor) };
}

/** Advances `clock` to just before `delay` (no attempt yet), then to it (the attempt starts). */
function waitOut(clock: FakeClock, delay: number): void {
  if (delay > 0) {
    clock.advance(delay - 1);
    expect(clock.pendingTimers).toBe(1);
  }
  clock.advance(delay === 0 ? 0 : 1);
  expect(clock.pendingTimers).toBe(0);
}

describe('reconnecting', () => {
  it('reports reconnecting when the monitor restarts on the same port, then connected, and catches up', async () => {
    const server = await new RealMonitor().start(0);
    cleanups.push(() => server.stop());
    const clock = new FakeClock();
    const { monitor, events } = await connect(server.port, { clock, random: () => 0.5 });
    await events.status('connected');
    await events.services((services) => services.length === 3);

    await server.stop();
    const retry = await events.status('reconnecting');
    expect(retry).toEqual({ attempt: 1, delay: 500 });
    expect(monitor.status).toBe('reconnecting');

    // While it is down: a change the client cannot see, and an action that waits.
    await server.registry.forceOpen('wallet');
    const release = monitor.release('checkout');
    await server.registry.forceOpen('checkout');

    await server.start();
    waitOut(clock, retry?.delay ?? Number.NaN);
    await events.status('connected');
    await events.service('wallet', (s) => s.circuit.phase === 'forced-open');
    expect(await release).toMatchObject({ before: 'forced-open', after: 'closed' });

    // Subscribed again: changes are pushed as before (they go only to subscribers).
    await server.registry.release('wallet');
    await events.service('wallet', (s) => s.circuit.phase === 'closed');
    expect(events.statuses).toEqual(['connected', 'reconnecting', 'connected']);
    expect(events.errors).toEqual([]);
  });

  it('waits a random time up to 1 s, ×2 per attempt, at most 30 s, and gives up after maxAttempts', async () => {
    const server = await stoppedMonitor();
    const clock = new FakeClock();
    const randoms = [0.1, 0.25, 0.5, 0.75, 0.999, 0.5, 0.9, 0.5];
    const { events } = await connect(server.port, {
      clock,
      random: () => randoms.shift() ?? Number.NaN,
      reconnect: { maxAttempts: 8 },
    });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const retry = await events.status('reconnecting');
      expect(retry?.attempt).toBe(attempt);
      delays.push(retry?.delay ?? Number.NaN);
      waitOut(clock, retry?.delay ?? Number.NaN);
    }
    // Ceilings 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s; each delay is random × ceiling.
    expect(delays).toEqual([100, 500, 2_000, 6_000, 15_984, 15_000, 27_000, 15_000]);

    const error = await events.error();
    expect(error).toMatchObject({ code: clientErrorCodes.reconnectGaveUp });
    expect(error.message).toContain('8 attempts');
    await events.status('disconnected');
    expect(clock.pendingTimers).toBe(0);
  });

  it('starts counting attempts again after a successful connection', async () => {
    const server = await stoppedMonitor();
    const clock = new FakeClock();
    const { events } = await connect(server.port, { clock, random: () => 1 });

    expect(await events.status('reconnecting')).toEqual({ attempt: 1, delay: 1_000 });
    waitOut(clock, 1_000);
    expect(await events.status('reconnecting')).toEqual({ attempt: 2, delay: 2_000 });
    await server.start();
    waitOut(clock, 2_000);
    await events.status('connected');

    await server.stop();
    expect(await events.status('reconnecting')).toEqual({ attempt: 1, delay: 1_000 });
  });

  it('follows the reconnect options: initialDelay, multiplier, maxDelay', async () => {
    const server = await stoppedMonitor();
    const clock = new FakeClock();
    const { events } = await connect(server.port, {
      clock,
      random: () => 1,
      reconnect: { initialDelay: 100, multiplier: 3, maxDelay: 1_000, maxAttempts: 4 },
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const retry = await events.status('reconnecting');
      delays.push(retry?.delay ?? Number.NaN);
      waitOut(clock, retry?.delay ?? Number.NaN);
    }
    expect(delays).toEqual([100, 300, 900, 1_000]);
    await events.status('disconnected');
  });

  it('never reconnects with reconnect: false', async () => {
    const server = await stoppedMonitor();
    const clock = new FakeClock();
    const { events } = await connect(server.port, { clock, reconnect: false });
    expect((await events.error()).code).toBe(clientErrorCodes.reconnectGaveUp);
    await events.status('disconnected');
    expect(events.statuses).toEqual(['disconnected']);
    expect(clock.pendingTimers).toBe(0);
  });
});
