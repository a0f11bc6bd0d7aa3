import { ConfigError } from '../errors/config-error';
import type { BreakerRecord } from './breaker-record';
import { stateNames } from './circuit-state';

/**
 * Validates a record before a breaker takes it up: records come from stores
 * and other processes, and a bad one must fail loudly, naming the field,
 * rather than leave a breaker half-restored.
 */
export function checkRecord(record: BreakerRecord): void {
  if (typeof record !== 'object' || record === null)
    throw new ConfigError('record', record, 'a breaker record');
  if (!stateNames.includes(record.state)) {
    throw new ConfigError('record.state', record.state, stateNames.join(' | '));
  }
  const counters = {
    version: record.version,
    stateSince: record.stateSince,
    recoveryAttempts: record.recoveryAttempts,
    failedRecoveries: record.failedRecoveries,
    ...prefixed(record.totals),
  };
  for (const [field, value] of Object.entries(counters)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(`record.${field}`, value, 'a finite number >= 0');
    }
  }
  for (const field of ['openUntil', 'lastRecoveryAttempt', 'lastFailureTime'] as const) {
    const value = record[field];
    if (value !== null && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new ConfigError(`record.${field}`, value, 'an epoch-ms time or null');
    }
  }
  if (record.state === 'open' && record.openUntil === null) {
    throw new ConfigError(
      'record.openUntil',
      null,
      'the end of the open period for an open record',
    );
  }
}

function prefixed(totals: BreakerRecord['totals']): Record<string, unknown> {
  if (typeof totals !== 'object' || totals === null) return { totals };
  const keys = ['attempts', 'successes', 'failures', 'ignored', 'rejected', 'timeouts'] as const;
  return Object.fromEntries(keys.map((key) => [`totals.${key}`, totals[key]]));
}
