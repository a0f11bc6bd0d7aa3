import type { BreakerRecord } from '../breaker/breaker-record';
import type { PersistableOptions } from '../registry/persistable-options';

/** Who did something: an operator (from a token's `sub` and `role`) or the system itself. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/**
 * What is audited: manual and configuration actions, and `refuse-access`, a
 * monitor's summary of the requests it turned away in one period for too
 * many failed authentications or admin actions.
 */
export type AuditAction =
  | 'reset'
  | 'reset-all'
  | 'force-open'
  | 'disable'
  | 'release'
  | 'configure'
  | 'refuse-access';

/** One audited action: who, when, what, on which service, the state before and after, and how it ended. */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  readonly id: number;
  /** When, ISO 8601. */
  readonly at: string;
  readonly actor: Actor;
  readonly action: AuditAction;
  /** The service acted on, or `*` for every service. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  /** `ok`, or why the action failed. */
  readonly outcome: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  /** Only entries for this service (entries targeting `*` included). */
  readonly service?: string;
  /** Only entries at or after this time, epoch ms. */
  readonly since?: number;
  /** Only entries before this time, epoch ms. */
  readonly until?: number;
  /**
   * Only entries whose `id` is below this one: the next page of a listing is
   * the query again with the id of the last entry of the page before. Pages
   * go by id, not by time, so entries that share a time are never skipped or
   * repeated. An integer >= 1.
   */
  readonly beforeId?: number;
  /** At most this many entries (default 100). */
  readonly limit?: number;
}

/**
 * Where a registry keeps what must survive a restart: each breaker's
 * versioned record, configuration overrides made at run time, and the audit
 * log. Every implementation passes the same contract suite. Writes resolve
 * only once the data is durable (for a store that has durability); a write
 * that cannot be made durable (disk full, read-only file, store out of
 * reach) rejects — with a `StoreUnavailableError` naming the store, what
 * failed and what to do — and is never reported as done. The audit log is
 * bounded (see `AuditRetention`): appending prunes the oldest entries.
 */
export interface StateStore {
  loadBreakers(): Promise<BreakerRecord[]>;
  /** Saves a record unless the stored one has a higher version (an older write never wins). */
  saveBreaker(record: BreakerRecord): Promise<void>;
  /** Deletes a breaker's record (its breaker was removed); nothing to delete is not an error. */
  deleteBreaker(name: string): Promise<void>;
  /**
   * Every override as it was saved. A registry checks each one again when it
   * takes it up: one saved before a bound it breaks is reported and left out.
   */
  loadOverrides(): Promise<Record<string, PersistableOptions>>;
  /** Replaces a service's override; `null` removes it. */
  saveOverride(service: string, options: PersistableOptions | null): Promise<void>;
  /** Appends an entry (and prunes entries past the store's retention); resolves once it is stored. */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  queryAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** Default and maximum number of audit entries a query returns. */
export const auditQueryLimits = Object.freeze({ default: 100, max: 10_000 });
