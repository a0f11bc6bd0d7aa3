import type { PersistableOptions } from './persistable-options';

/** Where a preset comes from and why it is set the way it is. */
export interface PresetInfo {
  /**
   * The system whose circuit breakers the preset reproduces: `DegenDuel fleet`,
   * `trading API`, `exchange aggregator` or `payment worker`.
   */
  readonly source: string;
  /**
   * @deprecated Use {@link PresetInfo.source}. An internal document number
   * (`000`–`004`); it goes in the next release.
   */
  readonly seed: string;
  /** What the preset is for and the values its source gives. */
  readonly description: string;
  /**
   * Options the preset sets although its source gives no value for them: the
   * preset's own choice. Empty when every value it sets is the source's.
   */
  readonly chosen: readonly string[];
}

// The DegenDuel fleet: twelve services, each with its own threshold and reset
// time, and one recovery config for all. Its state diagram closes a half-open
// circuit on one successful test operation, and each failed recovery backs the
// next one off exponentially (×2). It names no cap: the breaker's default cap
// of 5 min applies.
const degenDuelRecovery = {
  successThreshold: 1,
  maxRecoveryAttempts: 3,
  backoffMultiplier: 2,
  minHealthyPeriod: 120_000,
  monitoringWindow: 300_000,
} as const;

function degenDuel(failureThreshold: number, resetTimeout: number): PersistableOptions {
  return Object.freeze({ failureThreshold, resetTimeout, ...degenDuelRecovery });
}

// The trading API's default configuration: consecutive failures, failure rate
// and slow-call rate over a 60 s window. It describes no backoff: every open
// period is `reset_timeout`. Its four services change a few values of it and
// keep the rest.
const tradingDefault: PersistableOptions = Object.freeze({
  failureThreshold: 5,
  successThreshold: 3,
  resetTimeout: 30_000,
  backoffMultiplier: 1,
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

// The exchange aggregator: OPEN → HALF_OPEN after `recovery_timeout`, and any
// failed trial straight back to OPEN for the same period: no backoff. It lets
// "limited requests" through in half-open without a number: one trial at a
// time (the breaker's default) is the preset's choice.
function exchange(
  failureThreshold: number,
  resetTimeout: number,
  successThreshold: number,
): PersistableOptions {
  return Object.freeze({ failureThreshold, resetTimeout, successThreshold, backoffMultiplier: 1 });
}

const degenDuelFleet = 'DegenDuel fleet';
const tradingApi = 'trading API';
const exchangeAggregator = 'exchange aggregator';
const paymentWorker = 'payment worker';

/** Each preset: options, source, the internal document number, description, chosen options. */
const table = {
  // The DegenDuel fleet: data layer
  'market-data': [
    degenDuel(3, 30_000),
    degenDuelFleet,
    '000',
    'Market data: critical for real-time trading; opens after 3 failures in 5 min, first trial after 30 s',
    [],
  ],
  'token-sync': [
    degenDuel(4, 45_000),
    degenDuelFleet,
    '000',
    'Token sync: external API dependency; 4 failures, 45 s',
    [],
  ],
  'token-whitelist': [
    degenDuel(5, 60_000),
    degenDuelFleet,
    '000',
    'Token whitelist: standard operations; 5 failures, 60 s',
    [],
  ],
  // contest layer
  'contest-evaluation': [
    degenDuel(10, 120_000),
    degenDuelFleet,
    '000',
    'Contest evaluation: critical financial operations; 10 failures, 120 s',
    [],
  ],
  achievement: [
    degenDuel(6, 70_000),
    degenDuelFleet,
    '000',
    'Achievements: non-critical tracking; 6 failures, 70 s',
    [],
  ],
  referral: [
    degenDuel(5, 60_000),
    degenDuelFleet,
    '000',
    'Referrals: standard operations; 5 failures, 60 s',
    [],
  ],
  // wallet layer
  'contest-wallet': [
    degenDuel(8, 90_000),
    degenDuelFleet,
    '000',
    'Contest wallet: financial operations; 8 failures, 90 s',
    [],
  ],
  'vanity-wallet': [
    degenDuel(4, 45_000),
    degenDuelFleet,
    '000',
    'Vanity wallet: quick recovery needed; 4 failures, 45 s',
    [],
  ],
  'wallet-rake': [
    degenDuel(8, 90_000),
    degenDuelFleet,
    '000',
    'Wallet rake: fund collection; 8 failures, 90 s',
    [],
  ],
  'admin-wallet': [
    degenDuel(7, 80_000),
    degenDuelFleet,
    '000',
    'Admin wallet: critical admin operations; 7 failures, 80 s',
    [],
  ],
  // infrastructure layer
  faucet: [
    degenDuel(6, 75_000),
    degenDuelFleet,
    '000',
    'Faucet: test environment; 6 failures, 75 s',
    [],
  ],
  'wallet-generator': [
    degenDuel(5, 60_000),
    degenDuelFleet,
    '000',
    'Wallet generator: core infrastructure; 5 failures, 60 s',
    [],
  ],
  // The trading API
  'trading-default': [
    tradingDefault,
    tradingApi,
    '001',
    'Default: 5 failures, or 50% failed / 50% slower than 5 s over 60 s (from 10 calls); 30 s open, no backoff; 3 trials at once, 3 successes close',
    [],
  ],
  database: [
    trading({
      failureThreshold: 10,
      failureRateThreshold: 0.7,
      resetTimeout: 60_000,
      slowCallDuration: 10_000,
    }),
    tradingApi,
    '001',
    'Database: lenient (10 failures, 70%), 60 s reset, calls up to 10 s are not slow; the rest as the default',
    [],
  ],
  redis: [
    trading({ failureThreshold: 5, resetTimeout: 10_000, slowCallDuration: 2_000 }),
    tradingApi,
    '001',
    'Redis: fast recovery (5 failures, 10 s reset), quick operations expected (slow after 2 s); the rest as the default',
    [],
  ],
  'solana-rpc': [
    trading({ resetTimeout: 30_000, slowCallDuration: 5_000 }),
    tradingApi,
    '001',
    'Solana RPC: balanced; 30 s reset, slow after 5 s; the rest as the default',
    [],
  ],
  'external-api': [
    trading({
      failureThreshold: 3,
      failureRateThreshold: 0.4,
      resetTimeout: 60_000,
      halfOpenMaxCalls: 5,
    }),
    tradingApi,
    '001',
    'External API: strict (3 failures, 40%), 60 s reset, 5 trial calls; the rest as the default',
    [],
  ],
  // The exchange aggregator
  'exchange-default': [
    exchange(5, 60_000, 2),
    exchangeAggregator,
    '003',
    'Exchange client default: 5 failures, 60 s recovery timeout, 2 successes close; no backoff',
    [],
  ],
  conservative: [
    exchange(5, 120_000, 3),
    exchangeAggregator,
    '003',
    'Conservative (production): allow some failures (5), wait 2 min, need 3 successes; no backoff',
    [],
  ],
  aggressive: [
    exchange(3, 30_000, 2),
    exchangeAggregator,
    '003',
    'Aggressive (high traffic): open quickly (3), test recovery after 30 s, 2 successes; no backoff',
    [],
  ],
  testing: [
    exchange(2, 5_000, 1),
    exchangeAggregator,
    '003',
    'Testing / development: open after 2 failures, recover after 5 s on 1 success; no backoff',
    [],
  ],
  // The payment worker
  'developer-portal': [
    Object.freeze({
      failureThreshold: 5,
      successThreshold: 2,
      resetTimeout: 30_000,
      backoffMultiplier: 1,
    }),
    paymentWorker,
    '004',
    'Worldcoin Developer Portal API: 5 consecutive failures open it, 2 successes close it, 30 s open after every opening or failed trial',
    [],
  ],
  'payment-database': [
    Object.freeze({
      failureThreshold: 3,
      successThreshold: 2,
      resetTimeout: 10_000,
      backoffMultiplier: 1,
      timeout: 5_000,
    }),
    paymentWorker,
    '004',
    'Database (its forDatabase factory, which gives no values): chosen to fail fast — 3 failures, 2 successes, 10 s open, 5 s call timeout; no backoff, like its other breaker',
    ['failureThreshold', 'successThreshold', 'resetTimeout', 'timeout'],
  ],
} satisfies Record<
  string,
  readonly [PersistableOptions, string, string, string, readonly (keyof PersistableOptions)[]]
>;

/** Names of the built-in presets. */
export type PresetName = keyof typeof table;

/**
 * Ready-made policies reproducing the circuit breakers of four systems, keyed
 * by kebab-case name; each is a frozen plain options object. Options a preset
 * leaves out take the breaker's defaults (docs/configuration.md).
 *
 * - The DegenDuel fleet's twelve services (`market-data`, `token-sync`,
 *   `token-whitelist`, `contest-evaluation`, `achievement`, `referral`,
 *   `contest-wallet`, `vanity-wallet`, `wallet-rake`, `admin-wallet`,
 *   `faucet`, `wallet-generator`): each service's threshold and reset time;
 *   failures counted over a 5 min monitoring window; one successful trial
 *   closes the circuit; each failed trial doubles the next open period (the
 *   fleet names no cap, so the default cap of 5 min applies); an alert after
 *   3 failed recoveries; the backoff forgotten after 2 min closed.
 * - The trading API's presets (`trading-default`, `database`, `redis`,
 *   `solana-rpc`, `external-api`): its default configuration and its four
 *   service configurations, which keep the default's other values. No
 *   backoff: every open period is the reset timeout.
 * - The exchange aggregator's presets (`exchange-default`, `conservative`,
 *   `aggressive`, `testing`): failure threshold, recovery timeout and success
 *   threshold. No backoff. Its half-open state admits "limited requests"
 *   without a number: one trial at a time is this library's choice.
 * - The payment worker's presets (`developer-portal`, `payment-database`):
 *   the Developer Portal breaker stays open 30 s after every opening and
 *   every failed trial. Its database factory gives no values, so
 *   `payment-database`'s are chosen (see {@link PresetInfo.chosen}).
 */
export const presets: Readonly<Record<PresetName, PersistableOptions>> = Object.freeze(
  Object.fromEntries(Object.entries(table).map(([name, [options]]) => [name, options])) as Record<
    PresetName,
    PersistableOptions
  >,
);

/** Where each preset comes from, what it is for and which of its values it chose. */
export const presetInfo: Readonly<Record<PresetName, PresetInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(table).map(([name, [, source, seed, description, chosen]]) => [
      name,
      Object.freeze({ source, seed, description, chosen: Object.freeze([...chosen]) }),
    ]),
  ) as Record<PresetName, PresetInfo>,
);

/** True when `name` is a built-in preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}
