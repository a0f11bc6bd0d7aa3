import { type Contender, type ContenderId, createContenders } from '../contenders';
import { fail } from '../work';
import { disposeAll, expectCircuits } from './timed-scenario';

/**
 * Re-trip well before the 30 s open period ends: after it, opossum's timer
 * half-opens the circuit and the others admit a trial call, so the
 * benchmark would stop measuring the open path.
 */
const staleAfterMs = 20_000;

/** The three breakers, tripped by five failing calls each, and tripped afresh when they grow stale. */
export class OpenContenders {
  #contenders: Contender[] = [];
  #trippedAt = 0;
  /** Times the breakers were replaced by freshly tripped ones. */
  refreshes = 0;

  static async open(): Promise<OpenContenders> {
    const open = new OpenContenders();
    await open.#tripFresh();
    return open;
  }

  get contenders(): readonly Contender[] {
    return this.#contenders;
  }

  /** Milliseconds since the current breakers were tripped. */
  get age(): number {
    return performance.now() - this.#trippedAt;
  }

  /** The current call function of one breaker (changes when the breakers are refreshed). */
  call(id: ContenderId): Contender['call'] {
    const contender = this.#contenders.find((candidate) => candidate.id === id);
    if (contender === undefined) throw new Error(`no contender ${id}`);
    return contender.call;
  }

  async refreshIfStale(): Promise<void> {
    if (this.age < staleAfterMs) return;
    disposeAll(this.#contenders);
    await this.#tripFresh();
    this.refreshes++;
  }

  dispose(): void {
    disposeAll(this.#contenders);
  }

  async #tripFresh(): Promise<void> {
    this.#contenders = createContenders().filter((contender) => contender.id !== 'bare');
    for (const contender of this.#contenders) {
      for (let i = 0; i < 5; i++) {
        try {
          await contender.call(fail);
        } catch {
          // the failures that open the circuit
        }
      }
    }
    expectCircuits(this.#contenders, 'open');
    this.#trippedAt = performance.now();
  }
}
