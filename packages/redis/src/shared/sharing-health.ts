import type { SharingStatus } from '@breakwater/core';
import type { WarningLog } from './warning-log';

interface Refusal {
  readonly reason: string;
  /** When it was last refused (registry clock, ms). */
  readonly at: number;
  /** Whether it lapses once nothing like it has come for a while (see {@link SharingHealth.lapse}). */
  readonly lapses: boolean;
}

/**
 * Whether one instance is in step with the fleet, and why not. Two things
 * put it out of step: Redis out of reach (nothing is shared until it
 * answers again), and something the fleet sent that this instance refused
 * (a malformed or newer-version record, override, report or message): the
 * rest is still shared, but this instance does not hold what the fleet
 * holds there. Either way `status()` reads `degraded` with the reason, and
 * the registry hears of each change of mode or reason once.
 */
export class SharingHealth {
  readonly #instance: string;
  readonly #now: () => number;
  readonly #announce: (status: SharingStatus) => void;
  readonly #warnings: WarningLog;
  /** Why Redis is out of reach; undefined while it answers. */
  #lost: string | undefined;
  /** What was refused, by subject (`record:NAME`, `override:NAME`, `channel`, `report:ID`). */
  readonly #refused = new Map<string, Refusal>();
  #status: SharingStatus;
  #announced: SharingStatus;

  constructor(
    instance: string,
    now: () => number,
    announce: (status: SharingStatus) => void,
    warnings: WarningLog,
  ) {
    this.#instance = instance;
    this.#now = now;
    this.#announce = announce;
    this.#warnings = warnings;
    this.#status = { mode: 'shared', instance, since: now(), reason: null };
    this.#announced = this.#status;
  }

  /** Whether Redis answers (commands are sent, changes are taken). */
  get reachable(): boolean {
    return this.#lost === undefined;
  }

  status(): SharingStatus {
    return this.#status;
  }

  /** Redis stopped answering (a failed or timed-out command, a dropped connection). */
  lost(reason: string): void {
    if (this.#lost !== undefined) return;
    this.#lost = reason;
    this.#update();
    this.announce();
  }

  /** Still out of reach, now for `reason`; not announced again. */
  stillLost(reason: string): void {
    this.#lost = reason;
    this.#update();
    this.#announced = this.#status;
  }

  /** Redis answers again; announced with the next {@link announce}, once the backlog is sent. */
  regained(): void {
    this.#lost = undefined;
    this.#update();
  }

  /**
   * Something the fleet sent about `subject` was not taken up: logged (rate
   * limited), and out of step until {@link settle} — or, with `lapses`,
   * until nothing like it has come for a while.
   */
  refuse(subject: string, reason: string, lapses = false): void {
    this.#warnings.warn(`${reason} (instance ${this.#instance}: not taken up)`);
    const known = this.#refused.has(subject);
    // Re-inserted: the latest refusal is the one the status names.
    this.#refused.delete(subject);
    this.#refused.set(subject, { reason, at: this.#now(), lapses });
    this.#update();
    // A subject refused again changes the reason shown, not the mode: no event.
    if (known) this.#announced = this.#status;
    else this.announce();
  }

  /** Logs one line (rate limited) about something that does not change the status. */
  warn(message: string): void {
    this.#warnings.warn(`${message} (instance ${this.#instance})`);
  }

  /** `subject` is in step again. */
  settle(subject: string): void {
    if (!this.#refused.delete(subject)) return;
    this.#update();
    this.announce();
  }

  /** Subjects refused so far whose name starts with `prefix`. */
  refusedSubjects(prefix: string): string[] {
    return [...this.#refused.keys()].filter((subject) => subject.startsWith(prefix));
  }

  /** Settles every lapsing refusal not repeated for `quiet` ms. */
  lapse(quiet: number): void {
    const before = this.#now() - quiet;
    for (const [subject, refusal] of this.#refused) {
      if (refusal.lapses && refusal.at <= before) this.#refused.delete(subject);
    }
    this.#update();
    this.announce();
  }

  /** Tells the registry the status, if its mode or reason changed since it was last told. */
  announce(): void {
    const status = this.#status;
    const told = this.#announced;
    if (status.mode === told.mode && status.reason === told.reason) return;
    this.#announced = status;
    this.#announce(status);
  }

  #update(): void {
    const reason = this.#lost ?? this.#refusalReason();
    const mode = reason === null ? 'shared' : 'degraded';
    if (mode === this.#status.mode && reason === this.#status.reason) return;
    const since = mode === this.#status.mode ? this.#status.since : this.#now();
    this.#status = { mode, instance: this.#instance, since, reason };
  }

  /** The latest refusal that lasts (else the latest of all), and how many more there are. */
  #refusalReason(): string | null {
    const refusals = [...this.#refused.values()];
    const shown = refusals.filter((refusal) => !refusal.lapses).at(-1) ?? refusals.at(-1);
    if (shown === undefined) return null;
    const others = refusals.length - 1;
    if (others === 0) return shown.reason;
    return `${shown.reason} (and ${others} other ${others === 1 ? 'thing' : 'things'} not taken up)`;
  }
}
