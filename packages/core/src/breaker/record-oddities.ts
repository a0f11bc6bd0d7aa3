import { ConfigError } from '../errors/config-error';
import { maxDuration } from '../options/option-checks';
import type { BreakerRecord } from './breaker-record';
import { dateRange } from './breaker-status';

// The times a status shows as dates (`openUntil` only while open, and shortened then).
const times = ['lastRecoveryAttempt', 'lastFailureTime'] as const;

/**
 * What a breaker takes up differently from how a valid record reads: an
 * open period longer than any option allows ends after the longest duration
 * instead (see `stateFromRecord`), and a time no `Date` can hold is shown as
 * null. This version never writes such a record, but an older one may have
 * (before durations were bounded), so whoever restores records reports these
 * rather than failing on them. Each finding is a `ConfigError` naming the
 * field, the value and what it was taken as; none for a record this version
 * writes.
 */
export function recordOddities(record: BreakerRecord, wallNow: number): ConfigError[] {
  const found: ConfigError[] = [];
  for (const field of times) {
    const value = record[field];
    if (typeof value === 'number' && !(Math.abs(value) <= dateRange)) {
      found.push(
        new ConfigError(`record.${field}`, value, 'a time a Date can hold; shown as null'),
      );
    }
  }
  const { openUntil } = record;
  if (
    record.state === 'open' &&
    typeof openUntil === 'number' &&
    openUntil - wallNow > maxDuration
  ) {
    found.push(
      new ConfigError(
        'record.openUntil',
        openUntil,
        `an open period ending at most ${maxDuration} ms from now; it now ends then`,
      ),
    );
  }
  return found;
}
