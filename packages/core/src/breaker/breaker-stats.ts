import { LatencyHistogram } from '../window/latency-histogram';
import type { StateName } from './circuit-state';

/** Distinct error names tracked one by one; the rest are counted under `other`. */
const maxErrorNames = 50;

/** Lifetime counters of a breaker. Plain fields: the call path bumps them directly. */
export class BreakerStats {
  /** Calls that ran (not rejected), whatever their outcome. */
  totalAttempts = 0;
  totalSuccesses = 0;
  totalFailures = 0;
  /** Calls whose error was not a failure (`isFailure`, `ignoredErrors`) or that the caller aborted. */
  totalIgnored = 0;
  /** Calls rejected without running. */
  rejected = 0;
  /** Calls that ran past their timeout (also counted as failures). */
  timeouts = 0;
  transitions = 0;
  /** Wall time of the last failure, epoch ms. */
  lastFailureAt: number | undefined;
  lastError: { readonly name: string; readonly message: string } | undefined;
  readonly latency = new LatencyHistogram();
  #failuresByError: Map<string, number> | undefined;
  #timeInState: Partial<Record<StateName, number>> | undefined;

  recordFailure(error: unknown, wallNow: number): void {
    this.totalFailures++;
    this.lastFailureAt = wallNow;
    const name = errorName(error);
    this.lastError = { name, message: errorMessage(error) };
    this.#failuresByError ??= new Map();
    const counts = this.#failuresByError;
    const key = counts.has(name) || counts.size < maxErrorNames ? name : 'other';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  addTimeInState(state: StateName, ms: number): void {
    this.#timeInState ??= {};
    const times = this.#timeInState;
    times[state] = (times[state] ?? 0) + ms;
  }

  failuresByError(): Record<string, number> {
    return Object.fromEntries(this.#failuresByError ?? []);
  }

  /** Time spent in each state up to the last transition, plus `current` for `ms` more. */
  timeInState(current: StateName, ms: number): Record<StateName, number> {
    const times = this.#timeInState ?? {};
    const total = (state: StateName) => (times[state] ?? 0) + (state === current ? ms : 0);
    return {
      closed: total('closed'),
      open: total('open'),
      'half-open': total('half-open'),
      'forced-open': total('forced-open'),
      disabled: total('disabled'),
    };
  }
}

/** A short label for an error: its class name, `code` for non-Error values with one, or its type. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  if (typeof error === 'object' && error !== null) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (typeof name === 'string' && name) return name;
    if (typeof code === 'string' && code) return code;
    return 'Object';
  }
  return typeof error;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string') return message;
  }
  return String(error);
}
