import { ConfigError } from '../errors/config-error';
import { type AuditQuery, auditQueryLimits } from './state-store';

/**
 * Checks a query's `limit`, `since`, `until` and `beforeId` the same way for
 * every store and returns the number of entries to return: the default when
 * no limit is given, never more than the maximum. A bad value throws a
 * `ConfigError`.
 */
export function auditQueryLimit(query: AuditQuery): number {
  checkTime('since', query.since);
  checkTime('until', query.until);
  checkId('beforeId', query.beforeId);
  const { limit } = query;
  if (limit === undefined) return auditQueryLimits.default;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new ConfigError(
      'limit',
      limit,
      `an integer >= 0 (at most ${auditQueryLimits.max} apply)`,
    );
  }
  return Math.min(limit, auditQueryLimits.max);
}

function checkTime(name: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
    throw new ConfigError(name, value, 'a time in epoch milliseconds');
  }
}

function checkId(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
    throw new ConfigError(name, value, "an audit entry's id, an integer >= 1");
  }
}
