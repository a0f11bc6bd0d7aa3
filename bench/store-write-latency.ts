/**
 * Store write latency per transition, as a registry writes it: a breaker
 * trips and recovers in a Registry opened on a LocalStore (a temp file, WAL,
 * synchronous FULL), and every `saveBreaker` the registry makes is timed;
 * then manual actions (force-open / release) time `appendAudit`.
 *
 *   node --import tsx bench/store-write-latency.ts [transitions]   (default 2000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AuditEntry,
  type AuditQuery,
  type BreakerRecord,
  type NewAuditEntry,
  type PersistableOptions,
  Registry,
  type StateStore,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { LocalStore } from '@breakwater/store-local';
import { percentile } from './nearest-rank';

const transitions = Math.max(2_000, Number(process.argv[2] ?? 2_000));

/** Times the writes it passes on, in µs. */
class TimedStore implements StateStore {
  readonly saveBreakerUs: number[] = [];
  readonly appendAuditUs: number[] = [];
  readonly #inner: StateStore;

  constructor(inner: StateStore) {
    this.#inner = inner;
  }

  async saveBreaker(record: BreakerRecord): Promise<void> {
    const start = process.hrtime.bigint();
    await this.#inner.saveBreaker(record);
    this.saveBreakerUs.push(micros(start));
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const start = process.hrtime.bigint();
    const stored = await this.#inner.appendAudit(entry);
    this.appendAuditUs.push(micros(start));
    return stored;
  }

  loadBreakers(): Promise<BreakerRecord[]> {
    return this.#inner.loadBreakers();
  }
  deleteBreaker(name: string): Promise<void> {
    return this.#inner.deleteBreaker(name);
  }
  loadOverrides(): Promise<Record<string, PersistableOptions>> {
    return this.#inner.loadOverrides();
  }
  saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    return this.#inner.saveOverride(service, options);
  }
  queryAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.#inner.queryAudit(query);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

function micros(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1_000;
}

function row(name: string, samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const cells = [0.5, 0.99].map((fraction) => percentile(sorted, fraction).toFixed(0));
  return `| ${name} | ${samples.length} | ${cells.join(' | ')} | ${sorted.at(-1)?.toFixed(0)} |`;
}

const directory = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
try {
  const store = new TimedStore(await LocalStore.open(join(directory, 'state.db')));
  const clock = new FakeClock();
  const registry = await Registry.open({
    store,
    clock,
    services: { 'market-data': { failureThreshold: 1, resetTimeout: 1_000, successThreshold: 1 } },
  });
  const breaker = registry.breaker('market-data');
  const fail = () => Promise.reject(new Error('down'));
  const succeed = () => Promise.resolve('ok');

  // Trip (closed → open), then recover (open → half-open → closed in one call, one write).
  while (store.saveBreakerUs.length < transitions) {
    await breaker.execute(fail).catch(() => undefined);
    await registry.flush();
    clock.advance(1_000);
    await breaker.execute(succeed);
    await registry.flush();
  }
  const saves = store.saveBreakerUs.length;
  for (let action = 0; store.appendAuditUs.length < transitions; action++) {
    if (action % 2 === 0) await registry.forceOpen('market-data', { id: 'bench', role: 'admin' });
    else await registry.release('market-data', { id: 'bench', role: 'admin' });
  }
  await registry.close();

  console.log(`LocalStore write latency (WAL, synchronous = FULL, file under ${tmpdir()})\n`);
  console.log('| write | n | median µs | p99 µs | max µs |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(row('saveBreaker (per transition)', store.saveBreakerUs.slice(0, saves)));
  console.log(row('appendAudit (per manual action)', store.appendAuditUs));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
