/** Lines written per period at most; the rest are only counted. */
const burst = 5;
/** The period, ms. */
const period = 60_000;

/** Where warnings go by default. */
export function consoleWarning(line: string): void {
  console.warn(line);
}

/**
 * Warnings about what the fleet sent that this instance could not take up,
 * rate-limited: a peer that keeps sending bad messages (a newer version
 * mid-upgrade, a stray publisher) must not flood the log. At most a few
 * lines a minute; the next line written says how many were left out.
 */
export class WarningLog {
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  #periodStart = Number.NEGATIVE_INFINITY;
  #written = 0;
  #left = 0;

  constructor(write: (line: string) => void, now: () => number) {
    this.#write = write;
    this.#now = now;
  }

  warn(message: string): void {
    const now = this.#now();
    if (now - this.#periodStart >= period) {
      this.#periodStart = now;
      this.#written = 0;
    }
    if (this.#written >= burst) {
      this.#left++;
      return;
    }
    this.#written++;
    const left = this.#left === 0 ? '' : ` (${this.#left} more warnings were not logged)`;
    this.#left = 0;
    try {
      this.#write(`[breakwater] ${message}${left}`);
    } catch {
      // A logger that throws must not take sharing down with it.
    }
  }
}
