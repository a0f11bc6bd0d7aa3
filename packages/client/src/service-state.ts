import type { ServiceSnapshot, ServiceUpdateMessage } from '@breakwater/protocol';

interface Held {
  readonly snapshot: ServiceSnapshot;
  /** Epoch ms of the update it came from. */
  readonly at: number;
}

/**
 * The merged state of every service the monitor has told about, in the order
 * it first named them (the registry's order). Each service keeps the
 * timestamp of the update it came from, and an older update never replaces
 * it: a late or repeated message cannot undo a newer state.
 */
export class ServiceState {
  #held = new Map<string, Held>();
  #list: readonly ServiceSnapshot[] = Object.freeze([]);

  /** The current state, one entry per service; a new array after every change. */
  get services(): readonly ServiceSnapshot[] {
    return this.#list;
  }

  /**
   * Takes the full state a connection starts with in place of everything
   * held: the monitor may have restarted with another fleet or a clock
   * behind the old one, and what it says now is the truth.
   */
  replace(message: ServiceUpdateMessage): void {
    const at = timeOf(message) ?? Number.NEGATIVE_INFINITY;
    this.#held = new Map(message.services.map((snapshot) => [snapshot.service, { snapshot, at }]));
    this.#publish();
  }

  /**
   * Applies the services of `message` whose state is not older than the one
   * held. A state with the same timestamp replaces the held one (two changes
   * can fall in one millisecond) unless it is the same. True when anything
   * changed.
   */
  merge(message: ServiceUpdateMessage): boolean {
    const time = timeOf(message);
    let changed = false;
    for (const snapshot of message.services) {
      const held = this.#held.get(snapshot.service);
      const at = time ?? held?.at ?? Number.NEGATIVE_INFINITY;
      if (held !== undefined && (at < held.at || (at === held.at && same(held.snapshot, snapshot))))
        continue;
      this.#held.set(snapshot.service, { snapshot, at });
      changed ||= held === undefined || !same(held.snapshot, snapshot);
    }
    if (changed) this.#publish();
    return changed;
  }

  #publish(): void {
    this.#list = Object.freeze([...this.#held.values()].map((held) => held.snapshot));
  }
}

/**
 * An update's time, or undefined when its timestamp cannot be read: such an
 * update is taken as being as new as what is held (arrival order decides).
 */
function timeOf(message: ServiceUpdateMessage): number | undefined {
  const at = Date.parse(message.timestamp);
  return Number.isNaN(at) ? undefined : at;
}

function same(a: ServiceSnapshot, b: ServiceSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
