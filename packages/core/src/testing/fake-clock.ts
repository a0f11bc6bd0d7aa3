import type { Clock, TimerHandle } from '../clock/clock';
import { ConfigError } from '../errors/config-error';

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` fires every timer that
 * falls due, in order, each at its own time; `advanceAsync(ms)` also lets
 * promise callbacks run between timers, for code that awaits a timer and
 * then sets the next one (retry backoff, the demo's traffic).
 */
export class FakeClock implements Clock {
  #wallOrigin: number;
  #elapsed = 0;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  /** @param startMs wall-clock time the clock starts at, epoch ms (default 2026-01-01T00:00:00Z). */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#wallOrigin = startMs;
  }

  now(): number {
    return this.#wallOrigin + this.#elapsed;
  }

  monotonic(): number {
    return this.#elapsed;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, due: this.#elapsed + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers synchronously in order. */
  advance(ms: number): void {
    const target = this.#elapsed + checkStep(ms);
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#elapsed = timer.due;
      timer.callback();
    }
    this.#elapsed = target;
  }

  /** Like {@link advance}, but lets pending promise callbacks settle before and after each timer. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#elapsed + checkStep(ms);
    await settle();
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#elapsed = timer.due;
      timer.callback();
      await settle();
    }
    this.#elapsed = target;
    await settle();
  }

  /** Sets the wall clock (as if the system time were changed); monotonic time does not move. */
  setWallTime(epochMs: number): void {
    this.#wallOrigin = epochMs - this.#elapsed;
  }

  #nextDue(limit: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.due <= limit && (!next || timer.due < next.due)) next = timer;
    }
    if (next) this.#timers.splice(this.#timers.indexOf(next), 1);
    return next;
  }
}

function checkStep(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new ConfigError('ms', ms, 'a duration in milliseconds >= 0 to advance the FakeClock by');
  return ms;
}

/**
 * Lets every queued promise callback (and what those queue in turn) run, by
 * yielding one macrotask: a yield, not a wait — no time passes on this clock.
 */
function settle(): Promise<void> {
  const host = globalThis as { setImmediate?: (callback: () => void) => unknown };
  return new Promise((resolve) => {
    if (host.setImmediate) host.setImmediate(resolve);
    else globalThis.setTimeout(resolve, 0);
  });
}
