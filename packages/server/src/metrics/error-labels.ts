/** The label that stands for every error name past the limit. */
export const otherErrors = 'other';

/**
 * Turns a breaker's lifetime failures by error name into a bounded label
 * set: the first `limit` names seen for a service keep a label of their own
 * for as long as the service exists; every later name is counted under
 * `other`. Remembering the admitted names is what keeps each series
 * monotonic across scrapes: a name never moves between its own label and
 * `other`, so no series ever goes down.
 */
export class ErrorLabels {
  readonly #limit: number;
  readonly #admitted = new Map<string, Set<string>>();

  /** `limit`: distinct error labels per service besides `other`. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The failures of `service` by label, from its lifetime counts by error name. */
  group(service: string, failuresByError: Readonly<Record<string, number>>): Map<string, number> {
    let admitted = this.#admitted.get(service);
    if (admitted === undefined) {
      admitted = new Set();
      this.#admitted.set(service, admitted);
    }
    const byLabel = new Map<string, number>();
    let other = 0;
    for (const [name, count] of Object.entries(failuresByError)) {
      // The breaker's own `other` (names past its own cap) can never be told apart again.
      if (name !== otherErrors && !admitted.has(name) && admitted.size < this.#limit) {
        admitted.add(name);
      }
      if (admitted.has(name)) byLabel.set(name, count);
      else other += count;
    }
    if (other > 0) byLabel.set(otherErrors, other);
    return byLabel;
  }

  /** Forgets the services not in `present` (removed breakers), so memory follows the registry. */
  retain(present: ReadonlySet<string>): void {
    for (const service of this.#admitted.keys()) {
      if (!present.has(service)) this.#admitted.delete(service);
    }
  }
}
