import {
  type BreakerRecord,
  type BreakerTotals,
  checkPersistableOptions,
  type InstanceReport,
  type PersistableOptions,
  persistableOptionNames,
  stateNames,
} from '@breakwater/core';
import { StoredValueError } from '../stored-value-error';
import { breakerFromStored } from '../stored-values';

// The checks on everything shared mode reads from the fleet — records,
// overrides and reports, from the channels or from the keys — before any of
// it reaches a breaker. Each answers with a clean value or with what is wrong,
// in words; none throws on bad input. Fields a newer version may add to a
// record or a report are ignored; an option it may add to an override is not
// (see checkOverride).

/** A value from the fleet, checked: the value, or what is wrong with it. */
export type Checked<T> =
  | { readonly value: T; readonly problem?: undefined }
  | { readonly value?: undefined; readonly problem: string };

const knownOptions: ReadonlySet<string> = new Set(persistableOptionNames);
const totalNames = [
  'attempts',
  'successes',
  'failures',
  'ignored',
  'rejected',
  'timeouts',
] as const satisfies readonly (keyof BreakerTotals)[];

/**
 * Checks override options another instance published or stored. An option
 * this version does not know (a newer version's, mid-upgrade) is named as
 * such, and the whole override is refused: applying part of it would run a
 * configuration nobody chose.
 */
export function checkOverride(options: unknown): Checked<PersistableOptions> {
  if (!isObject(options)) return { problem: `is not an object of options (${excerpt(options)})` };
  const unknown = Object.keys(options).filter((name) => !knownOptions.has(name));
  if (unknown.length > 0) {
    const names = unknown.map((name) => excerpt(name)).join(', ');
    return {
      problem: `has options this version does not know (${names}): set through a newer version? Upgrade this instance to take it up`,
    };
  }
  try {
    return { value: checkPersistableOptions(options) };
  } catch (error) {
    return { problem: `has an invalid value (${messageOf(error)})` };
  }
}

/**
 * What is wrong with a record's fields, in words (`an unknown state
 * "throttled"`), or undefined when a breaker can take it up.
 */
export function recordProblem(record: Partial<BreakerRecord>): string | undefined {
  if (!stateNames.includes(record.state as never))
    return `an unknown state ${excerpt(record.state)}`;
  const totals: unknown = record.totals;
  if (!isObject(totals)) return `totals ${excerpt(totals)} where an object belongs`;
  const counts: Array<[string, unknown]> = [
    ['version', record.version],
    ['stateSince', record.stateSince],
    ['recoveryAttempts', record.recoveryAttempts],
    ['failedRecoveries', record.failedRecoveries],
    ...totalNames.map((total): [string, unknown] => [`totals.${total}`, totals[total]]),
  ];
  for (const [field, value] of counts) {
    if (!isCount(value)) return `${field} ${excerpt(value)} where a number >= 0 belongs`;
  }
  for (const field of ['openUntil', 'lastRecoveryAttempt', 'lastFailureTime'] as const) {
    const value = record[field];
    if (value !== null && !(typeof value === 'number' && Number.isFinite(value)))
      return `${field} ${excerpt(value)} where a time or null belongs`;
  }
  if (record.state === 'open' && record.openUntil === null) return 'an open state without its end';
  return undefined;
}

/**
 * A shared record as stored under `key`, checked through and through; a
 * `StoredValueError` naming the key when it is not one a breaker can take up.
 */
export function sharedRecordFromStored(text: string, name: string, key: string): BreakerRecord {
  const record = breakerFromStored(text, name, key);
  const problem = recordProblem(record);
  if (problem !== undefined) throw new StoredValueError(key, `holds ${problem}`);
  return record;
}

/** Checks another instance's report; a clean copy (known fields only) when it is one. */
export function checkReport(value: unknown): Checked<InstanceReport> {
  if (!isObject(value)) return { problem: `is not an object (${excerpt(value)})` };
  const { instance, at, mode, breakers } = value;
  if (typeof instance !== 'string' || instance === '')
    return { problem: `names no instance (${excerpt(instance)})` };
  if (typeof at !== 'number' || !Number.isFinite(at))
    return { problem: `has no time (${excerpt(at)})` };
  if (mode !== 'shared' && mode !== 'degraded')
    return { problem: `has an unknown mode ${excerpt(mode)}` };
  if (!isObject(breakers)) return { problem: `has no breakers (${excerpt(breakers)})` };
  const clean: Record<string, InstanceReport['breakers'][string]> = {};
  for (const [name, entry] of Object.entries(breakers)) {
    const state = isObject(entry) ? entry.state : undefined;
    const totals = isObject(entry) ? entry.totals : undefined;
    if (!stateNames.includes(state as never))
      return { problem: `gives '${name}' an unknown state ${excerpt(state)}` };
    if (!isObject(totals) || !totalNames.every((total) => isCount(totals[total])))
      return { problem: `gives '${name}' totals that are not counts (${excerpt(totals)})` };
    const counts = Object.fromEntries(totalNames.map((total) => [total, totals[total]]));
    clean[name] = {
      state: state as InstanceReport['breakers'][string]['state'],
      totals: counts as unknown as BreakerTotals,
    };
  }
  return { value: { instance, at, mode, breakers: clean } };
}

/** A value as JSON, cut short, for messages about bad data. */
export function excerpt(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
