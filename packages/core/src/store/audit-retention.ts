import { ConfigError } from '../errors/config-error';

/**
 * How much of the audit log a store keeps. Every store enforces it as it
 * appends (no timer): it removes the oldest entries beyond `maxEntries`,
 * and entries more than `maxAgeDays` older than the entry being appended.
 * Ages are measured against that entry's own time, so a store needs no
 * clock of its own and an injected clock governs retention too.
 */
export interface AuditRetention {
  /** At most this many entries, the newest. Default 100 000. */
  readonly maxEntries?: number;
  /** No entry more than this many days older than the newest. Default 90. */
  readonly maxAgeDays?: number;
}

export type ResolvedAuditRetention = Readonly<Required<AuditRetention>>;

/** The bound a store keeps when given none: enough for a busy year of operator actions, never the whole disk. */
export const defaultAuditRetention: ResolvedAuditRetention = Object.freeze({
  maxEntries: 100_000,
  maxAgeDays: 90,
});

const dayMs = 86_400_000;

/**
 * Checks a retention option and fills in the defaults. A bad value throws a
 * `ConfigError` naming it, e.g. `auditRetention.maxEntries`.
 */
export function resolveAuditRetention(
  given: unknown,
  path = 'auditRetention',
): ResolvedAuditRetention {
  if (given === undefined) return defaultAuditRetention;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError(path, given, 'an object with maxEntries and/or maxAgeDays');
  }
  const { maxEntries, maxAgeDays, ...unknown } = given as Record<string, unknown>;
  const [extra] = Object.keys(unknown);
  if (extra !== undefined) {
    throw new ConfigError(
      `${path}.${extra}`,
      unknown[extra],
      'no such option (maxEntries, maxAgeDays)',
    );
  }
  if (
    maxEntries !== undefined &&
    (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1)
  ) {
    throw new ConfigError(`${path}.maxEntries`, maxEntries, 'a count of entries, an integer >= 1');
  }
  if (
    maxAgeDays !== undefined &&
    (typeof maxAgeDays !== 'number' || !Number.isFinite(maxAgeDays) || maxAgeDays <= 0)
  ) {
    throw new ConfigError(`${path}.maxAgeDays`, maxAgeDays, 'a number of days > 0');
  }
  return Object.freeze({
    maxEntries: maxEntries ?? defaultAuditRetention.maxEntries,
    maxAgeDays: maxAgeDays ?? defaultAuditRetention.maxAgeDays,
  });
}

/** Entries before this time (epoch ms) are past the retention age, once an entry at `atMs` is appended. */
export function auditAgeCutoff(retention: ResolvedAuditRetention, atMs: number): number {
  return atMs - retention.maxAgeDays * dayMs;
}
