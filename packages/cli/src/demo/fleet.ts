import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type BreakwaterConfig, loadConfig, registryOptionsOf } from '@breakwater/config';
import {
  type Clock,
  ConfigError,
  Registry,
  type ServicesConfig,
  type StateStore,
} from '@breakwater/core';
import { LocalStore } from '@breakwater/store-local';
import { connectSharedStore } from '../cli/shared-store';
import { scaled, scaleOptions } from './time-scale';

/** True when this code runs from the sources (the repository), false from the built package. */
const fromSources = import.meta.url.endsWith('.ts');

/**
 * The configuration the demo loads unless told otherwise: the DegenDuel
 * fleet's twelve services. From the sources it is the repository's
 * examples/degenduel.yaml; the built package ships a copy beside its code.
 */
export const defaultConfigFile = fileURLToPath(
  new URL(
    fromSources ? '../../../../examples/degenduel.yaml' : './examples/degenduel.yaml',
    import.meta.url,
  ),
);

/** Where the demo's registry comes from. */
export interface FleetOptions {
  /** The configuration file. Default {@link defaultConfigFile}. */
  readonly configFile?: string;
  /** The store file. Default: the configuration's local store path. */
  readonly storeFile?: string;
  /** Delete the store file first, so nothing is restored. */
  readonly fresh?: boolean;
  /**
   * Share the breakers through the Redis at this URL instead of keeping them
   * in the local store: every demo on the same Redis sees the others' opens.
   */
  readonly redisUrl?: string;
  readonly clock: Clock;
}

/** Where demos sharing one Redis keep their breakers, apart from anything else on it. */
export const demoKeyPrefix = 'breakwater-demo:';

/** An open registry, its store and the configuration it was built from. */
export interface Fleet {
  readonly config: BreakwaterConfig;
  readonly registry: Registry;
  readonly store: StateStore;
  /** The store file, or the Redis URL in shared mode. */
  readonly storeFile: string;
  /** True when the breakers are shared through Redis. */
  readonly shared: boolean;
}

/**
 * Loads the configuration, scales its services to demo time and opens a
 * registry on the local store, restored from whatever the store holds.
 */
export async function openFleet(options: FleetOptions): Promise<Fleet> {
  const config = await loadConfig(options.configFile ?? defaultConfigFile);
  const shared = options.redisUrl !== undefined;
  const storeFile =
    options.redisUrl ??
    options.storeFile ??
    (fromSources || options.configFile !== undefined ? localStorePath(config) : packagedStoreFile);
  if (options.fresh && !shared) await removeStore(storeFile);
  const { auditRetention } = config.store;
  const store = shared
    ? await connectSharedStore(storeFile, demoKeyPrefix, auditRetention)
    : await LocalStore.open(storeFile, { auditRetention });
  try {
    const registry = await Registry.open({
      store,
      shared,
      services: demoServices(config),
      clock: options.clock,
      // Core's default (5 min without new calls = unknown), in demo time.
      staleAfter: scaled(300_000),
    });
    return { config, registry, store, storeFile, shared };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The configuration's services with every duration in demo time. */
export function demoServices(config: BreakwaterConfig): ServicesConfig {
  const { services } = registryOptionsOf(config);
  return Object.fromEntries(
    Object.entries(services).map(([name, service]) => {
      const { preset: _preset, dependsOn, layer, description, ...options } = service;
      // The preset's values are already merged into `options`: drop its name so they are not applied unscaled.
      return [name, { ...scaleOptions(options), dependsOn, layer, description }];
    }),
  );
}

/**
 * The installed package's example would keep its store beside itself, inside
 * node_modules: the demo keeps it in the current directory instead.
 */
const packagedStoreFile = 'degenduel.db';

function localStorePath(config: BreakwaterConfig): string {
  if (config.store.type === 'local') return config.store.path;
  throw new ConfigError('store.type', config.store.type, "'local' for the demo, or --store FILE");
}

/** Deletes the store file and its WAL/SHM companions. */
async function removeStore(file: string): Promise<void> {
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
}
