import type { ServiceSnapshot, ServiceUpdateMessage } from '@breakwater/protocol';
import type { StatusRow } from '../terminal/status-table';

/**
 * The services of a monitor as its stream last described them. The first
 * `service:update` carries every service; later ones only those that
 * changed, so each is merged by name. An update older than what a service
 * already shows is ignored.
 */
export class ServiceBoard {
  readonly #services = new Map<string, { snapshot: ServiceSnapshot; at: string }>();
  #asOf: string | undefined;

  /** Merges one update. */
  apply(message: ServiceUpdateMessage): void {
    for (const snapshot of message.services) {
      const known = this.#services.get(snapshot.service);
      if (known !== undefined && Date.parse(known.at) > Date.parse(message.timestamp)) continue;
      this.#services.set(snapshot.service, { snapshot, at: message.timestamp });
    }
    if (this.#asOf === undefined || Date.parse(message.timestamp) >= Date.parse(this.#asOf)) {
      this.#asOf = message.timestamp;
    }
  }

  /** The time of the newest update applied (ISO 8601), if any. */
  get asOf(): string | undefined {
    return this.#asOf;
  }

  /** One row per service, in the order the monitor first listed them. */
  rows(): StatusRow[] {
    return [...this.#services.values()].map(({ snapshot }) => ({
      service: snapshot.service,
      health: snapshot.status,
      state: snapshot.circuit.phase,
      failures: snapshot.circuit.failureCount,
      recoveryIn: snapshot.circuit.recoveryIn,
      degradedBy: snapshot.circuit.degradedBy,
    }));
  }
}
