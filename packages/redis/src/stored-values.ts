import {
  type AuditEntry,
  type BreakerRecord,
  ConfigError,
  checkPersistableOptions,
  type NewAuditEntry,
  type PersistableOptions,
  stateNames,
} from '@breakwater/core';
import { StoredValueError } from './stored-value-error';

// How records, overrides and audit entries look in Redis (JSON), and the
// checks on the way back: data written by another tool or version is named
// by its key instead of surfacing as a strange breaker later.

/** Checks the fields the key and the version compare rely on. */
export function checkBreakerRecord(record: BreakerRecord): void {
  if (typeof record?.name !== 'string' || record.name.length === 0)
    throw new ConfigError('record.name', record?.name, 'a breaker name');
  if (typeof record.version !== 'number' || !Number.isFinite(record.version))
    throw new ConfigError('record.version', record.version, 'a finite number');
}

/** A stored record, checked for the shape a registry needs to find its breaker. */
export function breakerFromStored(text: string, name: string, key: string): BreakerRecord {
  const record = parseStored(text, key) as Partial<BreakerRecord> | null;
  const problem = recordProblem(record, name);
  if (problem !== undefined) throw new StoredValueError(key, problem);
  return record as BreakerRecord;
}

/** Options as stored, after the same check as on load: a bad override is never written. */
export function overrideToStored(options: PersistableOptions): string {
  return JSON.stringify(checkPersistableOptions(options));
}

/**
 * An override as it was saved: an object of options, or a `StoredValueError`
 * naming the field. Its values are not judged here: the registry checks them
 * when it takes them up, and reports (and leaves out) one saved before a
 * bound it now breaks, rather than refusing every override.
 */
export function overrideFromStored(text: string, key: string, service: string): PersistableOptions {
  const options = parseStored(text, key, service);
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new StoredValueError(key, 'does not hold an object of options', { field: service });
  return options as PersistableOptions;
}

/**
 * The entry as JSON without its opening brace: the append script puts the id
 * it assigns in front. Only the entry's own fields are kept, so a stray `id`
 * can never shadow the assigned one.
 */
export function auditEntryTail(entry: NewAuditEntry): string {
  if (typeof entry?.at !== 'string' || !Number.isFinite(Date.parse(entry.at))) {
    throw new ConfigError('entry.at', entry?.at, 'an ISO 8601 time');
  }
  const { at, actor, action, target, before, after, outcome } = entry;
  const fields = { at, actor: { id: actor.id, role: actor.role }, action, target, before, after };
  return JSON.stringify({ ...fields, outcome }).slice(1);
}

export function auditEntryFromStored(text: string, key: string): AuditEntry {
  const entry = parseStored(text, key) as AuditEntry | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'number') {
    throw new StoredValueError(key, `holds an audit entry without an id: ${text.slice(0, 80)}`);
  }
  return entry;
}

function parseStored(text: string, key: string, field?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoredValueError(key, 'does not hold valid JSON', { field, cause: error });
  }
}

function recordProblem(record: Partial<BreakerRecord> | null, name: string): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return 'does not hold a breaker record';
  if (record.name !== name) return `holds another breaker (${JSON.stringify(record.name)})`;
  if (!stateNames.includes(record.state as never))
    return `holds an unknown state ${JSON.stringify(record.state)}`;
  if (typeof record.totals !== 'object' || record.totals === null) return 'holds no totals';
  return undefined;
}
