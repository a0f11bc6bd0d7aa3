import type { BreakerRecord } from '../breaker/breaker-record';
import { StoreClosedError } from '../errors/store-closed-error';
import type { PersistableOptions } from '../registry/persistable-options';
import { auditQueryLimit } from './audit-query-limit';
import type { AuditEntry, AuditQuery, NewAuditEntry, StateStore } from './state-store';

/** A `StateStore` in memory: for tests and for registries that need no persistence. */
export class MemoryStore implements StateStore {
  readonly #breakers = new Map<string, BreakerRecord>();
  readonly #overrides = new Map<string, PersistableOptions>();
  readonly #audit: AuditEntry[] = [];
  #closed = false;

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
    const stored = { ...copy(entry), id: this.#audit.length + 1 };
    this.#audit.push(stored);
    return copy(stored);
  }

  async queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.#checkOpen();
    const limit = auditQueryLimit(query);
    const matches: AuditEntry[] = [];
    for (let index = this.#audit.length - 1; index >= 0 && matches.length < limit; index--) {
      const entry = this.#audit[index];
      if (entry !== undefined && matchesQuery(entry, query)) matches.push(copy(entry));
    }
    return matches;
  }

  async close(): Promise<void> {
    this.#closed = true;
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
  return true;
}

/** Stored values are copies: a caller mutating what it passed or got back changes nothing stored. */
function copy<T>(value: T): T {
  return structuredClone(value);
}
