import type {
  CircuitBreakerMonitor,
  ClientError,
  ConnectionStatus,
  ReconnectAttempt,
  ServiceSnapshot,
} from '../../src/index';

type Entry =
  | {
      readonly kind: 'status';
      readonly status: ConnectionStatus;
      readonly retry?: ReconnectAttempt;
    }
  | { readonly kind: 'error'; readonly error: ClientError }
  | { readonly kind: 'update'; readonly services: readonly ServiceSnapshot[] };

interface Waiter {
  readonly match: (entry: Entry) => boolean;
  readonly resolve: (entry: Entry) => void;
}

/**
 * Everything a monitor client reports, from the moment it is created, so a
 * test waits for the next event of a kind instead of sleeping. Unread
 * events stay until a test asks for them.
 */
export class MonitorEvents {
  /** Every status in order, read or not. */
  readonly statuses: ConnectionStatus[] = [];
  readonly errors: ClientError[] = [];
  readonly #unread: Entry[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #monitor: CircuitBreakerMonitor;

  constructor(monitor: CircuitBreakerMonitor) {
    this.#monitor = monitor;
    monitor.on('connectionStatus', (status, retry) => {
      this.statuses.push(status);
      this.#add(
        retry === undefined ? { kind: 'status', status } : { kind: 'status', status, retry },
      );
    });
    monitor.on('error', (error) => {
      this.errors.push(error);
      this.#add({ kind: 'error', error });
    });
    monitor.on('serviceUpdate', (services) => this.#add({ kind: 'update', services }));
  }

  /** The next unread status equal to `status`; earlier unread statuses are read with it. */
  async status(status: ConnectionStatus): Promise<ReconnectAttempt | undefined> {
    const entry = await this.#next((e) => e.kind === 'status' && e.status === status, 'status');
    return entry.kind === 'status' ? entry.retry : undefined;
  }

  /** The next unread error. */
  async error(): Promise<ClientError> {
    const entry = await this.#next((e) => e.kind === 'error', 'error');
    if (entry.kind !== 'error') throw new Error('unreachable');
    return entry.error;
  }

  /** Resolves with the services once they satisfy `check`: now, or at a later update. */
  services(
    check: (services: readonly ServiceSnapshot[]) => boolean,
  ): Promise<readonly ServiceSnapshot[]> {
    const now = this.#monitor.services;
    if (check(now)) return Promise.resolve(now);
    // Only later updates: an unread earlier one may match a state already left.
    return new Promise((resolve) => {
      this.#waiters.push({
        match: (e) => e.kind === 'update' && check(e.services),
        resolve: (e) => resolve(e.kind === 'update' ? e.services : []),
      });
    });
  }

  /** Resolves once the named service satisfies `check`. */
  async service(
    name: string,
    check: (service: ServiceSnapshot) => boolean,
  ): Promise<ServiceSnapshot> {
    const find = (services: readonly ServiceSnapshot[]) => services.find((s) => s.service === name);
    const services = await this.services((all) => {
      const found = find(all);
      return found !== undefined && check(found);
    });
    return find(services) as ServiceSnapshot;
  }

  #next(match: (entry: Entry) => boolean, kind: Entry['kind']): Promise<Entry> {
    const index = this.#unread.findIndex(match);
    if (index !== -1) return Promise.resolve(this.#take(index, kind));
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Removes the entry at `index` and the unread entries of its kind before it. */
  #take(index: number, kind: Entry['kind']): Entry {
    const entry = this.#unread[index] as Entry;
    for (let i = index; i >= 0; i--) {
      if (this.#unread[i]?.kind === kind) this.#unread.splice(i, 1);
    }
    return entry;
  }

  #add(entry: Entry): void {
    const index = this.#waiters.findIndex((waiter) => waiter.match(entry));
    if (index === -1) {
      if (entry.kind !== 'update') this.#unread.push(entry);
      return;
    }
    const [waiter] = this.#waiters.splice(index, 1);
    // Entries of this kind before it count as read, as in #take.
    for (let i = this.#unread.length - 1; i >= 0; i--) {
      if (this.#unread[i]?.kind === entry.kind) this.#unread.splice(i, 1);
    }
    waiter?.resolve(entry);
  }
}
