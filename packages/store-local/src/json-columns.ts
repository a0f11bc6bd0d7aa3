import { type BreakerRecord, type PersistableOptions, stateNames } from '@breakwater/core';
import { StoreUnreadableError } from './store-unreadable-error';

/** A `breakers` row as SQLite returns it. */
export interface BreakerRow {
  readonly name: string;
  readonly version: number;
  readonly record: string;
}

/** An `overrides` row as SQLite returns it. */
export interface OverrideRow {
  readonly service: string;
  readonly options: string;
}

/** Parses a JSON column; text that does not parse is a {@link StoreUnreadableError} naming the row. */
export function parseColumn(text: string, file: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreUnreadableError(file, `${where} does not hold valid JSON`, { cause: error });
  }
}

/**
 * A stored breaker record, checked for the shape a registry relies on to
 * find its breaker (name, version, state). `CircuitBreaker.restore` checks
 * every field again before taking it up.
 */
export function breakerFromRow(row: BreakerRow, file: string): BreakerRecord {
  const where = `breakers row '${row.name}'`;
  const record = parseColumn(row.record, file, where) as Partial<BreakerRecord> | null;
  const problem = recordProblem(record, row);
  if (problem !== undefined) throw new StoreUnreadableError(file, `${where} ${problem}`);
  return record as BreakerRecord;
}

/**
 * A stored override as it was saved: an object of options, or a
 * {@link StoreUnreadableError} naming the row. Its values are not judged
 * here: the registry checks them when it takes them up, and reports (and
 * leaves out) one saved before a bound it now breaks, rather than refusing
 * the whole store.
 */
export function overrideFromRow(row: OverrideRow, file: string): PersistableOptions {
  const where = `overrides row '${row.service}'`;
  const options = parseColumn(row.options, file, where);
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new StoreUnreadableError(file, `${where} does not hold an object of options`);
  return options as PersistableOptions;
}

function recordProblem(record: Partial<BreakerRecord> | null, row: BreakerRow): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return 'is not a breaker record';
  if (record.name !== row.name) return `names another breaker (${JSON.stringify(record.name)})`;
  if (record.version !== row.version)
    return `has version ${JSON.stringify(record.version)}, not the row's ${row.version}`;
  if (!stateNames.includes(record.state as never))
    return `has an unknown state ${JSON.stringify(record.state)}`;
  if (typeof record.totals !== 'object' || record.totals === null) return 'has no totals';
  return undefined;
}
