import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, registryOptionsOf } from '@breakwater/config';
import { MemoryStore, Registry } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { example } from './support/config';

const degenDuelServices = {
  data: ['token-sync', 'token-whitelist', 'market-data'],
  contest: ['contest-evaluation', 'achievement', 'referral'],
  wallet: ['contest-wallet', 'vanity-wallet', 'wallet-rake', 'admin-wallet'],
  infrastructure: ['faucet', 'wallet-generator'],
};

// Seed 000's mermaid graph: `A --> B` means B depends on A.
const seedEdges = [
  ['market-data', 'contest-evaluation'],
  ['token-sync', 'market-data'],
  ['token-whitelist', 'market-data'],
  ['contest-evaluation', 'referral'],
  ['contest-evaluation', 'achievement'],
  ['vanity-wallet', 'contest-wallet'],
  ['contest-evaluation', 'contest-wallet'],
  ['contest-wallet', 'wallet-rake'],
  ['wallet-generator', 'vanity-wallet'],
  ['wallet-generator', 'faucet'],
] as const;

describe('examples/degenduel.yaml', () => {
  it("declares seed 000's twelve services, each with its own preset and layer", async () => {
    const config = await loadConfig(example('degenduel.yaml'));
    expect(Object.keys(config.services)).toHaveLength(12);
    for (const [layer, names] of Object.entries(degenDuelServices)) {
      for (const name of names) {
        expect(config.services[name]).toMatchObject({ name, preset: name, layer });
      }
    }
  });

  it("resolves each preset to seed 000's threshold, reset time and recovery config", async () => {
    const { services } = await loadConfig(example('degenduel.yaml'));
    expect(services['market-data']?.options).toEqual({
      failureThreshold: 3,
      resetTimeout: 30_000,
      monitoringWindow: 300_000,
      successThreshold: 1,
      maxRecoveryAttempts: 3,
      backoffMultiplier: 2,
      minHealthyPeriod: 120_000,
    });
    expect(services['contest-evaluation']?.options).toMatchObject({
      failureThreshold: 10,
      resetTimeout: 120_000,
    });
    expect(services['admin-wallet']?.options).toMatchObject({
      failureThreshold: 7,
      resetTimeout: 80_000,
    });
  });

  it("declares exactly the seed's dependency edges", async () => {
    const { services } = await loadConfig(example('degenduel.yaml'));
    expect(services['contest-evaluation']?.dependsOn).toEqual(['market-data']);
    const edges = Object.values(services).flatMap((service) =>
      service.dependsOn.map((dependency) => [dependency, service.name]),
    );
    expect(edges).toHaveLength(seedEdges.length);
    expect(edges).toEqual(expect.arrayContaining(seedEdges.map((edge) => [...edge])));
  });

  it('keeps its store in degenduel.db next to the file', async () => {
    const config = await loadConfig(example('degenduel.yaml'));
    expect(config.store).toEqual({ type: 'local', path: example('degenduel.db') });
    expect(config.file).toBe(example('degenduel.yaml'));
  });

  it('builds a registry in which an outage of market-data reaches contest-evaluation and contest-wallet', async () => {
    const config = await loadConfig(example('degenduel.yaml'));
    const registry = new Registry(registryOptionsOf(config));
    expect(registry.list()).toHaveLength(12);
    expect(registry.affectedBy('market-data')).toEqual(
      expect.arrayContaining(['contest-evaluation', 'contest-wallet', 'wallet-rake']),
    );
    expect(registry.affectedBy('admin-wallet')).toEqual([]);
    expect(registry.breaker('market-data').options).toMatchObject({
      failureThreshold: 3,
      resetTimeout: 30_000,
      monitoringWindow: 300_000,
    });
    await registry.close();
  });

  it('opens a registry on a store with the same services', async () => {
    const config = await loadConfig(example('degenduel.yaml'));
    const registry = await Registry.open({
      ...registryOptionsOf(config),
      store: new MemoryStore(),
    });
    expect(registry.dependenciesOf('contest-wallet')).toEqual([
      'vanity-wallet',
      'contest-evaluation',
    ]);
    expect(registry.status().services.find((s) => s.service === 'market-data')?.layer).toBe('data');
    await registry.close();
  });

  it('loads the same configuration written as JSON', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'breakwater-config-'));
    try {
      const yamlConfig = await loadConfig(example('degenduel.yaml'));
      const file = join(folder, 'degenduel.json');
      await writeFile(
        file,
        JSON.stringify(parse(await readFile(example('degenduel.yaml'), 'utf8')), null, 2),
      );
      const jsonConfig = await loadConfig(file);
      expect(jsonConfig.services).toEqual(yamlConfig.services);
      expect(jsonConfig.store).toEqual({ type: 'local', path: join(folder, 'degenduel.db') });
      expect({ ...jsonConfig, file: '', store: null }).toEqual({
        ...yamlConfig,
        file: '',
        store: null,
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('examples/trading-api.yaml', () => {
  it("declares seed 001's four dependencies with their presets", async () => {
    const { services } = await loadConfig(example('trading-api.yaml'));
    for (const name of ['database', 'redis', 'solana-rpc', 'external-api']) {
      expect(services[name]?.preset).toBe(name);
    }
    expect(services.database?.options).toMatchObject({
      failureThreshold: 10,
      failureRateThreshold: 0.7,
      resetTimeout: 60_000,
      slowCallDuration: 10_000,
    });
    expect(services.redis?.options).toMatchObject({
      resetTimeout: 10_000,
      slowCallDuration: 2_000,
    });
  });

  it('lets an explicit option override its preset', async () => {
    const { services } = await loadConfig(example('trading-api.yaml'));
    expect(services['external-api']?.options).toMatchObject({
      failureThreshold: 3,
      failureRateThreshold: 0.4,
      halfOpenMaxCalls: 5,
      timeout: 3_000,
    });
  });

  it('builds a registry in which the composite trade depends on all four', async () => {
    const config = await loadConfig(example('trading-api.yaml'));
    expect(config.services['trade-execution']?.dependsOn).toEqual([
      'database',
      'redis',
      'external-api',
      'solana-rpc',
    ]);
    const registry = new Registry(registryOptionsOf(config));
    for (const dependency of ['database', 'redis', 'solana-rpc', 'external-api']) {
      expect(registry.affectedBy(dependency)).toContain('trade-execution');
    }
    expect(registry.affectedBy('redis')).toEqual(['trade-execution', 'portfolio']);
    await registry.close();
  });

  it('reads the JWT secret from its own environment variable', async () => {
    const config = await loadConfig(example('trading-api.yaml'));
    expect(config.auth).toMatchObject({
      algorithm: 'HS256',
      jwtSecretEnv: 'TRADING_API_JWT_SECRET',
    });
    expect(config.alerts.openLongerThan).toBe(120_000);
  });
});
