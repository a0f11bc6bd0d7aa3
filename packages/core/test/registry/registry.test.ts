import {
  type ConfigChangeEvent,
  ConfigError,
  isUnknownServiceError,
  type ManualActionEvent,
  Registry,
  type ServiceEvent,
  type StateChangeEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from '../support/calls';

const admin = { id: 'alice', role: 'admin' };

function exchangeRegistry() {
  const clock = new FakeClock();
  const registry = new Registry({
    clock,
    services: {
      mexc: { preset: 'aggressive' },
      kraken: { preset: 'conservative', failureThreshold: 2 },
    },
  });
  return { clock, registry };
}

describe('Registry: the manager operations of seed 003', () => {
  it('creates configured breakers up front from presets with overrides', () => {
    const { registry } = exchangeRegistry();
    expect(registry.list()).toEqual(['mexc', 'kraken']);
    expect(registry.breaker('mexc').options).toMatchObject({
      failureThreshold: 3,
      resetTimeout: 30_000,
      successThreshold: 2,
    });
    expect(registry.breaker('kraken').options).toMatchObject({
      failureThreshold: 2,
      resetTimeout: 120_000,
      successThreshold: 3,
    });
  });

  it('gets or creates: the same breaker for the same name, a new one from options', () => {
    const { registry } = exchangeRegistry();
    expect(registry.breaker('mexc')).toBe(registry.breaker('mexc'));
    const gate = registry.breaker('gate_io', { failureThreshold: 7 });
    expect(gate.options.failureThreshold).toBe(7);
    expect(registry.breaker('gate_io', { failureThreshold: 1 })).toBe(gate);
    expect(registry.list()).toContain('gate_io');
  });

  it('reports totals, healthy and failing counts, and open circuits', async () => {
    const { registry } = exchangeRegistry();
    await callTimes(registry.breaker('mexc'), 3, fail());
    await callTimes(registry.breaker('kraken'), 2, succeed());
    const status = registry.status();
    expect(status).toMatchObject({
      total: 2,
      healthy: 1,
      failed: 1,
      degraded: 0,
      unknown: 0,
      openCircuits: ['mexc'],
    });
    expect(status.services.map((service) => [service.service, service.health])).toEqual([
      ['mexc', 'failed'],
      ['kraken', 'healthy'],
    ]);
    expect(registry.openCircuits()).toEqual(['mexc']);
  });

  it('resets one circuit and all circuits, auditing each with the actor', async () => {
    const { registry } = exchangeRegistry();
    await callTimes(registry.breaker('mexc'), 3, fail());
    await callTimes(registry.breaker('kraken'), 2, fail());
    expect(await registry.reset('mexc', admin)).toEqual({ before: 'open', after: 'closed' });
    const all = await registry.resetAll(admin);
    expect(all).toEqual({
      before: { mexc: 'closed', kraken: 'open' },
      after: { mexc: 'closed', kraken: 'closed' },
    });
    const audit = await registry.audit();
    expect(audit.map((entry) => [entry.action, entry.target, entry.actor.id])).toEqual([
      ['reset-all', '*', 'alice'],
      ['reset', 'mexc', 'alice'],
    ]);
    expect(audit[1]).toMatchObject({ before: 'open', after: 'closed', outcome: 'ok' });
  });

  it('forces open, disables and releases one service, with manualAction events', async () => {
    const { registry } = exchangeRegistry();
    const actions: ManualActionEvent[] = [];
    registry.on('manualAction', (event) => actions.push(event));
    await registry.forceOpen('mexc', admin);
    expect(registry.status().services[0]).toMatchObject({ health: 'failed' });
    await registry.disable('mexc', admin);
    await registry.release('mexc', admin);
    expect(actions.map((event) => [event.action, event.before, event.after])).toEqual([
      ['force-open', 'closed', 'forced-open'],
      ['disable', 'forced-open', 'disabled'],
      ['release', 'disabled', 'closed'],
    ]);
    expect(await registry.audit({ service: 'mexc' })).toHaveLength(3);
  });

  it('refuses operations on an unknown service with an UnknownServiceError', async () => {
    const { registry } = exchangeRegistry();
    const error = await registry.reset('binance').catch((thrown: unknown) => thrown);
    expect(isUnknownServiceError(error)).toBe(true);
    expect(await registry.audit()).toMatchObject([
      { action: 'reset', target: 'binance', outcome: "refused: Unknown service 'binance'" },
    ]);
    expect(() => registry.affectedBy('binance')).toThrow("Unknown service 'binance'");
  });

  it('removes a breaker nothing depends on, and refuses to remove a dependency', () => {
    const registry = new Registry({ services: { db: {}, api: { dependsOn: ['db'] } } });
    expect(() => registry.remove('db')).toThrow(ConfigError);
    expect(registry.remove('api')).toBe(true);
    expect(registry.remove('api')).toBe(false);
    expect(registry.remove('db')).toBe(true);
    expect(registry.list()).toEqual([]);
  });

  it('re-emits every breaker event with the service name, for breakers created later too', async () => {
    const { registry } = exchangeRegistry();
    const changes: ServiceEvent<StateChangeEvent>[] = [];
    const failures: string[] = [];
    registry.on('stateChange', (event) => changes.push(event));
    registry.on('failure', (event) => failures.push(event.service));
    await callTimes(registry.breaker('mexc'), 3, fail());
    await callTimes(registry.breaker('late', { failureThreshold: 1 }), 1, fail());
    expect(changes.map((event) => [event.service, event.to, event.reason])).toEqual([
      ['mexc', 'open', 'consecutive-failures'],
      ['late', 'open', 'consecutive-failures'],
    ]);
    expect(failures).toEqual(['mexc', 'mexc', 'mexc', 'late']);
  });
});

describe('Registry.configure', () => {
  it('changes options at run time, keeping state and counts, with a configChange event and an audit entry', async () => {
    const { registry } = exchangeRegistry();
    const events: ConfigChangeEvent[] = [];
    registry.on('configChange', (event) => events.push(event));
    await callTimes(registry.breaker('mexc'), 2, fail());
    const change = await registry.configure(
      'mexc',
      { failureThreshold: 5, resetTimeout: 10_000 },
      admin,
    );
    expect(change.before).toMatchObject({ failureThreshold: 3, resetTimeout: 30_000 });
    expect(change.after).toMatchObject({ failureThreshold: 5, resetTimeout: 10_000 });
    expect(registry.breaker('mexc').status().failureCount).toBe(2);
    expect(events).toMatchObject([
      { service: 'mexc', actor: admin, after: { failureThreshold: 5 } },
    ]);
    expect((await registry.audit())[0]).toMatchObject({
      action: 'configure',
      target: 'mexc',
      actor: admin,
    });
  });

  it('rejects a bad value naming the option and value, and changes nothing', async () => {
    const { registry } = exchangeRegistry();
    const error = await registry
      .configure('mexc', { failureThreshold: 0 }, admin)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "Invalid option 'failureThreshold': 0 (expected an integer >= 1)",
    );
    expect(registry.breaker('mexc').options.failureThreshold).toBe(3);
    expect(await registry.audit()).toMatchObject([
      {
        action: 'configure',
        target: 'mexc',
        actor: admin,
        after: { failureThreshold: 0 },
        outcome: "refused: Invalid option 'failureThreshold': 0 (expected an integer >= 1)",
      },
    ]);
  });

  it('refuses options that are not plain data (functions cannot come from an admin)', async () => {
    const { registry } = exchangeRegistry();
    const error = await registry
      .configure('mexc', { isFailure: () => true } as never, admin)
      .catch((thrown: unknown) => thrown);
    expect((error as ConfigError).option).toBe('isFailure');
  });
});
