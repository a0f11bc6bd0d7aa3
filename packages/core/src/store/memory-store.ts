import type { BreakerRecord } from '../breaker/breaker-record';
import { ConfigError } from '../errors/config-error';
import { StoreClosedError } from '../errors/store-closed-error';
import type { PersistableOptions } from '../registry/persistable-options';
import { auditQueryLimit } from './audit-query-limit';
import {
  type AuditRetention,
  auditAgeCutoff,
  type ResolvedAuditRetention,
  resolveAuditRetention,
} from './audit-retention';
import type { AuditEntry, AuditQuery, NewAuditEntry, StateStore } from './state-store';

export interface MemoryStoreOptions {
  /** How much of the audit log to keep (default 100 000 entries, 90 days). */
  readonly auditRetention?: AuditRetention;
}

/** A `StateStore` in memory: for tests and for registries that need no persistence. */
export class MemoryStore implements StateStore {
  readonly #breakers = new Map<string, BreakerRecord>();
  readonly #overrides = new Map<string, PersistableOptions>();
  /** The audit log, oldest first, from index `#auditStart` on (pruned entries before it). */
  readonly #audit: AuditEntry[] = [];
  #auditStart = 0;
  #lastAuditId = 0;
  readonly #retention: ResolvedAuditRetention;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('options', options, 'an object');
    }
    this.#retention = resolveAuditRetention(options.auditRetention);
  }

  async loadBreakers(): Promise<BreakerRecord[]> {
    this.#checkOpen();
    return [...this.#breakers.values()].map(copy);
  }

  async saveBreaker(record: BreakerRecord): Promise<void> {
    this.#checkOpen();
    const stored = this.#breakers.get(record.name);
    if (stored !== undefined && stored.version > record.version) return;
    this.#breakers.set(record.name, copy(record));
  }

  async deleteBreaker(name: string): Promise<void> {
    this.#checkOpen();
    this.#breakers.delete(name);
  }

  async loadOverrides(): Promise<Record<string, PersistableOptions>> {
    this.#checkOpen();
    return Object.fromEntries([...this.#overrides].map(([name, options]) => [name, copy(options)]));
  }

  async saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    this.#checkOpen();
    if (options === null) this.#overrides.delete(service);
    else this.#overrides.set(service, copy(options));
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    this.#checkOpen();
    const atMs = Date.parse(entry.at);
    if (typeof entry.at !== 'string' || !Number.isFinite(atMs)) {
      throw new ConfigError('entry.at', entry.at, 'an ISO 8601 time');
    }
    const stored = { ...copy(entry), id: ++this.#lastAuditId };
    this.#audit.push(stored);
    this.#prune(atMs);
    return copy(stored);
  }

  async queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.#checkOpen();
    const limit = auditQueryLimit(query);
    const matches: AuditEntry[] = [];
    const start = this.#auditStart;
    const newest = this.#newestIndexBelow(query.beforeId);
    for (let index = newest; index >= start && matches.length < limit; index--) {
      const entry = this.#audit[index];
      if (entry !== undefined && matchesQuery(entry, query)) matches.push(copy(entry));
    }
    return matches;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /**
   * The index of the newest entry whose id is below `beforeId` (the newest of
   * all without it), found by halving since ids increase along the array: a
   * page deep in the log costs no more than the first.
   */
  #newestIndexBelow(beforeId: number | undefined): number {
    let low = this.#auditStart;
    let high = this.#audit.length;
    if (beforeId === undefined) return high - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#audit[middle]?.id ?? 0) < beforeId) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  /** Drops the oldest entries past the retention bound; compacts once half the array is dropped. */
  #prune(atMs: number): void {
    const cutoff = auditAgeCutoff(this.#retention, atMs);
    const first = Math.max(this.#auditStart, this.#audit.length - this.#retention.maxEntries);
    let start = first;
    while (start < this.#audit.length && Date.parse(this.#audit[start]?.at ?? '') < cutoff) start++;
    this.#auditStart = start;
    if (start > this.#audit.length / 2) {
      this.#audit.splice(0, start);
      this.#auditStart = 0;
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreClosedError('MemoryStore');
  }
}

/** Whether an audit entry passes a query's filters (shared by stores that filter in code). */
export function matchesQuery(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.service !== undefined && entry.target !== query.service && entry.target !== '*')
    return false;
  const at = Date.parse(entry.at);
  if (query.since !== undefined && at < query.since) return false;
  if (query.until !== undefined && at >= query.until) return false;
  if (query.beforeId !== undefined && entry.id >= query.beforeId) return false;
  return true;
}

/** Stored values are copies: a caller mutating what it passed or got back changes nothing stored. */
function copy<T>(value: T): T {
  return structuredClone(value);
}
