import { once } from 'node:events';
import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CircuitBreakerMonitor,
  type CircuitBreakerMonitorOptions,
  clientErrorCodes,
  type ServiceSnapshot,
} from '../src/index';
import { MonitorEvents } from './support/monitor-events';
import { ScriptedServer, snapshot } from './support/scripted-server';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

async function scripted(options: Partial<CircuitBreakerMonitorOptions> = {}) {
  const server = await ScriptedServer.start();
  cleanups.push(() => server.close());
  const monitor = new CircuitBreakerMonitor({
    url: server.url,
    token: 'header.payload.signature',
    WebSocket,
    ...options,
  });
  cleanups.push(() => monitor.disconnect());
  const events = new MonitorEvents(monitor);
  const updates: Array<readonly ServiceSnapshot[]> = [];
  monitor.on('serviceUpdate', (services) => updates.push(services));
  const connection = await server.connection();
  return { server, monitor, events, updates, connection };
}

const phases = (services: readonly ServiceSnapshot[]) =>
  Object.fromEntries(services.map((s) => [s.service, s.circuit.phase]));

describe('updates in timestamp order', () => {
  it('sends the token as the subprotocol and subscribes once the monitor accepts it', async () => {
    const { connection, events } = await scripted();
    expect(connection.protocol).toBe('header.payload.signature');
    connection.accept(at(0), [snapshot('wallet')]);
    await events.status('connected');
    expect(await connection.received()).toEqual({ type: 'subscribe:services' });
  });

  it('never lets a late or repeated update overwrite a newer state', async () => {
    const { connection, monitor, events, updates } = await scripted();
    connection.accept(at(0), [snapshot('wallet'), snapshot('checkout')]);
    await events.services((services) => services.length === 2);

    connection.update(at(2), [snapshot('wallet', 'open', 5)]);
    await events.service('wallet', (s) => s.circuit.phase === 'open');
    const count = updates.length;

    connection.update(at(1), [snapshot('wallet', 'closed')]); // late
    connection.update(at(2), [snapshot('wallet', 'open', 5)]); // repeated
    // A marker behind them: once it is applied, they have been read.
    connection.update(at(3), [snapshot('checkout', 'forced-open')]);
    await events.service('checkout', (s) => s.circuit.phase === 'forced-open');

    expect(phases(monitor.services)).toEqual({ wallet: 'open', checkout: 'forced-open' });
    expect(updates).toHaveLength(count + 1); // the marker only
  });

  it('applies a different state with the same timestamp: two changes can share a millisecond', async () => {
    const { connection, events } = await scripted();
    connection.accept(at(0), [snapshot('wallet')]);
    connection.update(at(1), [snapshot('wallet', 'open', 5)]);
    connection.update(at(1), [snapshot('wallet', 'forced-open', 5)]);
    await events.service('wallet', (s) => s.circuit.phase === 'forced-open');
  });

  it('orders per service: a late update still brings a service it is the newest for', async () => {
    const { connection, monitor, events } = await scripted();
    connection.accept(at(0), [snapshot('wallet'), snapshot('checkout')]);
    connection.update(at(5), [snapshot('wallet', 'open', 5)]);
    connection.update(at(3), [snapshot('wallet'), snapshot('checkout', 'open', 2)]);
    await events.service('checkout', (s) => s.circuit.phase === 'open');
    expect(phases(monitor.services)).toEqual({ wallet: 'open', checkout: 'open' });
  });

  it("takes a new connection's full state in place of the old one, even with an older clock", async () => {
    const clock = new FakeClock();
    const { server, connection, monitor, events } = await scripted({ clock, random: () => 0 });
    connection.accept(at(30), [snapshot('wallet', 'open', 5), snapshot('legacy')]);
    await events.services((services) => services.length === 2);

    connection.socket.close(1001, 'Server shutting down');
    await events.status('reconnecting');
    clock.advance(0);
    const again = await server.connection();
    again.accept(at(10), [snapshot('wallet')]);
    await events.status('connected');
    await events.services((services) => services.length === 1);
    expect(phases(monitor.services)).toEqual({ wallet: 'closed' });
    expect(await again.received()).toEqual({ type: 'subscribe:services' });
  });

  it('appends a service it had not heard of, keeping the order of the rest', async () => {
    const { connection, monitor, events } = await scripted();
    connection.accept(at(0), [snapshot('b'), snapshot('a')]);
    connection.update(at(1), [snapshot('c', 'open', 1)]);
    await events.services((services) => services.length === 3);
    expect(monitor.services.map((s) => s.service)).toEqual(['b', 'a', 'c']);
    expect(Object.isFrozen(monitor.services)).toBe(true);
  });
});

describe('what the stream does wrong', () => {
  it('reports an unreadable frame as BW_STREAM_ERROR and carries on', async () => {
    const { connection, events } = await scripted();
    connection.accept(at(0), [snapshot('wallet')]);
    connection.send('{not json');
    expect(await events.error()).toMatchObject({ code: clientErrorCodes.streamError });
    connection.send({ type: 'circuit:explode', timestamp: at(1) });
    expect((await events.error()).message).toContain('unknown type');
    connection.update(at(2), [snapshot('wallet', 'open', 1)]);
    await events.service('wallet', (s) => s.circuit.phase === 'open');
  });

  it('reports an error that answers no action as BW_STREAM_ERROR with its code', async () => {
    const { connection, events } = await scripted();
    connection.accept(at(0), []);
    connection.send({
      type: 'error',
      code: 4029,
      message: 'Rate limit exceeded: message ignored',
      timestamp: at(1),
    });
    const error = await events.error();
    expect(error).toMatchObject({ code: clientErrorCodes.streamError, closeCode: 4029 });
    expect(error.message).toContain('Rate limit exceeded');
  });

  it('fails the action on the wire with BW_CONNECTION_LOST when the connection drops, and sends the next after reconnecting', async () => {
    const clock = new FakeClock();
    const { server, connection, monitor, events } = await scripted({ clock, random: () => 0 });
    connection.accept(at(0), [snapshot('wallet')]);
    await connection.received(); // subscribe
    const lost = monitor.reset('wallet');
    const waiting = monitor.forceOpen('wallet');
    expect(await connection.received()).toEqual({ type: 'circuit:reset', service: 'wallet' });
    connection.socket.terminate();

    await expect(lost).rejects.toMatchObject({
      code: clientErrorCodes.connectionLost,
      action: 'circuit:reset',
      service: 'wallet',
    });
    await events.status('reconnecting');
    clock.advance(0);
    const again = await server.connection();
    again.accept(at(1), [snapshot('wallet')]);
    expect(await again.received()).toEqual({ type: 'subscribe:services' });
    expect(await again.received()).toEqual({ type: 'circuit:force-open', service: 'wallet' });
    const reply = {
      type: 'circuit:force-open',
      service: 'wallet',
      before: 'closed',
      after: 'forced-open',
      timestamp: at(2),
    };
    again.send(reply);
    expect(await waiting).toEqual(reply);
  });

  it('keeps the client going when a listener throws, reporting BW_LISTENER_FAILED', async () => {
    const { connection, monitor, events } = await scripted();
    const thrown = new Error('render failed');
    monitor.on('serviceUpdate', () => {
      throw thrown;
    });
    monitor.on('error', () => {
      throw new Error('an error listener that throws is dropped');
    });
    const seen: string[] = [];
    monitor.on('serviceUpdate', (services) => seen.push(services.map((s) => s.service).join()));
    connection.accept(at(0), [snapshot('wallet')]);
    const error = await events.error();
    expect(error).toMatchObject({ code: clientErrorCodes.listenerFailed, cause: thrown });
    expect(error.message).toContain("'serviceUpdate' listener threw: render failed");
    expect(seen).toEqual(['wallet']);
  });

  it('lets a listener disconnect: waiting actions fail and are never sent', async () => {
    const { connection, monitor, events } = await scripted();
    monitor.on('connectionStatus', (status) => {
      if (status === 'connected') monitor.disconnect();
    });
    const pending = monitor.reset('wallet');
    connection.accept(at(0), [snapshot('wallet')]);
    await expect(pending).rejects.toMatchObject({ code: clientErrorCodes.clientClosed });
    await events.status('disconnected');
    expect(await connection.received()).toEqual({ type: 'subscribe:services' });
    const [code] = await once(connection.socket, 'close');
    expect(code).toBe(1000);
    expect(connection.unread).toBe(0); // the reset never went out
  });

  it('stops calling a listener once unsubscribed', async () => {
    const { connection, monitor, events } = await scripted();
    const seen: number[] = [];
    const unsubscribe = monitor.on('serviceUpdate', (services) => seen.push(services.length));
    connection.accept(at(0), [snapshot('a')]);
    await events.services((services) => services.length === 1);
    unsubscribe();
    unsubscribe(); // harmless
    connection.update(at(1), [snapshot('b')]);
    await events.services((services) => services.length === 2);
    expect(seen).toEqual([1]);
  });
});
