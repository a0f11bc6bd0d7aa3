import type { PersistableOptions } from './persistable-options';

/** Where a preset comes from and why it is set the way it is. */
export interface PresetInfo {
  /** The seed write-up it comes from (`000`–`004`, see shared/seeds). */
  readonly seed: string;
  readonly description: string;
}

/** Seed 000's recovery config, shared by its twelve services. */
const degenDuelRecovery = {
  maxRecoveryAttempts: 3,
  backoffMultiplier: 2,
  minHealthyPeriod: 120_000,
  monitoringWindow: 300_000,
} as const;

function degenDuel(failureThreshold: number, resetTimeout: number): PersistableOptions {
  return Object.freeze({ failureThreshold, resetTimeout, ...degenDuelRecovery });
}

/** Seed 001's default configuration: counts, rates and slow calls over a 60 s window. */
const tradingDefault: PersistableOptions = Object.freeze({
  failureThreshold: 5,
  successThreshold: 3,
  resetTimeout: 30_000,
  halfOpenMaxCalls: 3,
  slidingWindow: Object.freeze({ type: 'time', size: 60_000 } as const),
  minimumCalls: 10,
  failureRateThreshold: 0.5,
  slowCallDuration: 5_000,
  slowCallRateThreshold: 0.5,
});

function trading(overrides: PersistableOptions): PersistableOptions {
  return Object.freeze({ ...tradingDefault, ...overrides });
}

const table = {
  // Seed 000 (DegenDuel): data layer
  'market-data': [
    degenDuel(3, 30_000),
    '000',
    'Market data: critical for real-time trading; opens after 3 failures in 5 min, retries after 30 s',
  ],
  'token-sync': [
    degenDuel(4, 45_000),
    '000',
    'Token sync: external API dependency; 4 failures, 45 s',
  ],
  'token-whitelist': [
    degenDuel(5, 60_000),
    '000',
    'Token whitelist: standard operations; 5 failures, 60 s',
  ],
  // contest layer
  'contest-evaluation': [
    degenDuel(10, 120_000),
    '000',
    'Contest evaluation: critical financial operations; 10 failures, 120 s',
  ],
  achievement: [
    degenDuel(6, 70_000),
    '000',
    'Achievements: non-critical tracking; 6 failures, 70 s',
  ],
  referral: [degenDuel(5, 60_000), '000', 'Referrals: standard operations; 5 failures, 60 s'],
  // wallet layer
  'contest-wallet': [
    degenDuel(8, 90_000),
    '000',
    'Contest wallet: financial operations; 8 failures, 90 s',
  ],
  'vanity-wallet': [
    degenDuel(4, 45_000),
    '000',
    'Vanity wallet: quick recovery needed; 4 failures, 45 s',
  ],
  'wallet-rake': [degenDuel(8, 90_000), '000', 'Wallet rake: fund collection; 8 failures, 90 s'],
  'admin-wallet': [
    degenDuel(7, 80_000),
    '000',
    'Admin wallet: critical admin operations; 7 failures, 80 s',
  ],
  // infrastructure layer
  faucet: [degenDuel(6, 75_000), '000', 'Faucet: test environment; 6 failures, 75 s'],
  'wallet-generator': [
    degenDuel(5, 60_000),
    '000',
    'Wallet generator: core infrastructure; 5 failures, 60 s',
  ],
  // Seed 001 (Rust trading API)
  'trading-default': [
    tradingDefault,
    '001',
    'Trading API default: 5 failures or 50% failures / 50% calls slower than 5 s over 60 s (min 10 calls); 3 trials, 3 successes to close',
  ],
  database: [
    trading({
      failureThreshold: 10,
      failureRateThreshold: 0.7,
      resetTimeout: 60_000,
      slowCallDuration: 10_000,
    }),
    '001',
    'Database: lenient (10 failures, 70%), 60 s reset, calls up to 10 s are not slow',
  ],
  redis: [
    trading({ failureThreshold: 5, resetTimeout: 10_000, slowCallDuration: 2_000 }),
    '001',
    'Redis: fast recovery (10 s), quick operations expected (slow after 2 s)',
  ],
  'solana-rpc': [
    trading({ resetTimeout: 30_000, slowCallDuration: 5_000 }),
    '001',
    'Solana RPC: balanced; 30 s reset, slow after 5 s',
  ],
  'external-api': [
    trading({
      failureThreshold: 3,
      failureRateThreshold: 0.4,
      resetTimeout: 60_000,
      halfOpenMaxCalls: 5,
    }),
    '001',
    'External API: strict (3 failures, 40%), 60 s reset, 5 trial calls',
  ],
  // Seed 003 (exchange aggregator)
  'exchange-default': [
    Object.freeze({ failureThreshold: 5, resetTimeout: 60_000, successThreshold: 2 }),
    '003',
    'Exchange client default: 5 failures, 60 s recovery, 2 successes',
  ],
  conservative: [
    Object.freeze({ failureThreshold: 5, resetTimeout: 120_000, successThreshold: 3 }),
    '003',
    'Conservative (production): allow some failures, wait 2 min, need 3 successes',
  ],
  aggressive: [
    Object.freeze({ failureThreshold: 3, resetTimeout: 30_000, successThreshold: 2 }),
    '003',
    'Aggressive (high traffic): open quickly, test recovery after 30 s',
  ],
  testing: [
    Object.freeze({ failureThreshold: 2, resetTimeout: 5_000, successThreshold: 1 }),
    '003',
    'Testing / development: open after 2 failures, recover after 5 s on 1 success',
  ],
  // Seed 004 (payment worker)
  'developer-portal': [
    Object.freeze({ failureThreshold: 5, successThreshold: 2, resetTimeout: 30_000 }),
    '004',
    'Worldcoin Developer Portal API: 5 consecutive failures, 2 successes, 30 s',
  ],
  'payment-database': [
    Object.freeze({
      failureThreshold: 3,
      successThreshold: 2,
      resetTimeout: 10_000,
      timeout: 5_000,
    }),
    '004',
    "Payment worker's database (CircuitBreakerFactory.forDatabase; the seed gives no values: chosen to fail fast — 3 failures, 10 s, 5 s call timeout)",
  ],
} satisfies Record<string, readonly [PersistableOptions, string, string]>;

/** Names of the built-in presets. */
export type PresetName = keyof typeof table;

/** Ready-made policies for the seeds' services, keyed by kebab-case name. Each is a plain options object. */
export const presets: Readonly<Record<PresetName, PersistableOptions>> = Object.freeze(
  Object.fromEntries(Object.entries(table).map(([name, [options]]) => [name, options])) as Record<
    PresetName,
    PersistableOptions
  >,
);

/** Where each preset comes from and what it is for. */
export const presetInfo: Readonly<Record<PresetName, PresetInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(table).map(([name, [, seed, description]]) => [
      name,
      Object.freeze({ seed, description }),
    ]),
  ) as Record<PresetName, PresetInfo>,
);

/** True when `name` is a built-in preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}
