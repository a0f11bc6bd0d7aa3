import { ConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, deferred, fail, succeed } from '../support/calls';

// Seed 000's graph: an arrow A --> B means B depends on A.
const degenDuel = {
  'token-sync': { preset: 'token-sync' },
  'token-whitelist': { preset: 'token-whitelist' },
  'market-data': { preset: 'market-data', dependsOn: ['token-sync', 'token-whitelist'] },
  'contest-evaluation': { preset: 'contest-evaluation', dependsOn: ['market-data'] },
  referral: { preset: 'referral', dependsOn: ['contest-evaluation'] },
  achievement: { preset: 'achievement', dependsOn: ['contest-evaluation'] },
  'wallet-generator': { preset: 'wallet-generator' },
  'vanity-wallet': { preset: 'vanity-wallet', dependsOn: ['wallet-generator'] },
  faucet: { preset: 'faucet', dependsOn: ['wallet-generator'] },
  'contest-wallet': {
    preset: 'contest-wallet',
    dependsOn: ['vanity-wallet', 'contest-evaluation'],
  },
  'wallet-rake': { preset: 'wallet-rake', dependsOn: ['contest-wallet'] },
  'admin-wallet': { preset: 'admin-wallet' },
};

function fleet() {
  const clock = new FakeClock();
  return { clock, registry: new Registry({ clock, services: degenDuel }) };
}

describe('dependency graph', () => {
  it('answers who is affected if a service opens, nearest first', () => {
    const { registry } = fleet();
    expect(registry.affectedBy('market-data')).toEqual([
      'contest-evaluation',
      'referral',
      'achievement',
      'contest-wallet',
      'wallet-rake',
    ]);
    expect(registry.affectedBy('admin-wallet')).toEqual([]);
    expect(registry.dependenciesOf('contest-wallet')).toEqual([
      'vanity-wallet',
      'contest-evaluation',
    ]);
  });

  it('rejects an unknown dependency, naming the service and the name', () => {
    expect(() => new Registry({ services: { api: { dependsOn: ['dbb'] } } })).toThrow(
      'Invalid option \'services.api.dependsOn[0]\': "dbb" (expected the name of a configured service)',
    );
  });

  it('rejects a cycle, naming it', () => {
    let thrown: unknown;
    try {
      new Registry({
        services: { a: { dependsOn: ['c'] }, b: { dependsOn: ['a'] }, c: { dependsOn: ['b'] } },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).value).toBe('a → c → b → a');
  });

  it('rejects a service depending on itself', () => {
    expect(() => new Registry({ services: { a: { dependsOn: ['a'] } } })).toThrow(
      /cannot depend on itself/,
    );
  });
});

describe('health roll-up (SPEC §2)', () => {
  it('reports every service unknown before any call', () => {
    const { registry } = fleet();
    expect(registry.status()).toMatchObject({ total: 12, unknown: 12, healthy: 0 });
  });

  it('cascades: an open market-data makes everything downstream degraded, naming the cause, even with no calls', async () => {
    const { registry } = fleet();
    await callTimes(registry.breaker('market-data'), 3, fail());
    const byName = Object.fromEntries(
      registry.status().services.map((service) => [service.service, service]),
    );
    expect(byName['market-data']).toMatchObject({ health: 'failed' });
    expect(byName['contest-evaluation']).toMatchObject({
      health: 'degraded',
      degradedBy: ['market-data'],
    });
    expect(byName.referral).toMatchObject({
      health: 'degraded',
      degradedBy: ['contest-evaluation'],
    });
    expect(byName['contest-wallet']).toMatchObject({
      health: 'degraded',
      degradedBy: ['contest-evaluation'],
    });
    expect(byName['wallet-rake']).toMatchObject({ health: 'degraded' });
    expect(byName['token-sync']).toMatchObject({ health: 'unknown' });
    expect(byName['admin-wallet']).toMatchObject({ health: 'unknown' });
  });

  it('is healthy with calls and no failures, degraded with recent failures or half-open', async () => {
    const { clock, registry } = fleet();
    await callTimes(registry.breaker('faucet'), 3, succeed());
    await callTimes(registry.breaker('token-sync'), 2, succeed());
    await callTimes(registry.breaker('token-sync'), 1, fail());
    await callTimes(registry.breaker('wallet-generator'), 5, fail());
    clock.advance(60_000);
    const health = () =>
      Object.fromEntries(
        registry.status().services.map((service) => [service.service, service.health]),
      );
    expect(health()).toMatchObject({
      'token-sync': 'degraded',
      'wallet-generator': 'failed',
      faucet: 'degraded',
    });
    const trial = deferred();
    const running = registry.breaker('wallet-generator').execute(() => trial.promise);
    expect(registry.breaker('wallet-generator').state).toBe('half-open');
    expect(health()).toMatchObject({ 'wallet-generator': 'degraded', 'vanity-wallet': 'degraded' });
    trial.resolve('ok');
    await running;
  });

  it('turns a service unknown when its counts have not moved for staleAfter', async () => {
    const clock = new FakeClock();
    const registry = new Registry({ clock, staleAfter: 10_000, services: { api: {} } });
    await callTimes(registry.breaker('api'), 1, succeed());
    expect(registry.status().services[0]?.health).toBe('healthy');
    clock.advance(10_000);
    expect(registry.status().services[0]?.health).toBe('unknown');
    await callTimes(registry.breaker('api'), 1, succeed());
    expect(registry.status().services[0]?.health).toBe('healthy');
  });
});
