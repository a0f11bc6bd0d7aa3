import type { BreakerRecord } from '@breakwater/core';
import type { ModelOptions } from './model-options';
import { type ModelCall, ModelClock, ReferenceBreaker, type Rejection } from './reference-model';

/**
 * The model's side of a run: the clock, the breaker in use (a restore
 * replaces it with a fresh one) and every call admitted so far, whichever
 * breaker admitted it. A call's caller gets whichever comes first of its
 * function's result, its timeout and its signal's abort (the race); only
 * that one reaches the breaker, and what comes after is ignored.
 */

/** What the caller of an admitted call got. */
export type CallerOutcome =
  | { readonly kind: 'value' }
  /** The function's own error. */
  | { readonly kind: 'error' }
  | { readonly kind: 'timeout'; readonly timeout: number }
  /** The caller's signal's reason. */
  | { readonly kind: 'aborted' };

export interface CallOptions {
  /** Per-call timeout, ms. */
  readonly timeout?: number;
  /** Passes a caller's `AbortSignal`. */
  readonly signal: boolean;
}

export interface WorldCall {
  /** Index in `calls`: the real harness keeps its calls in the same order. */
  readonly id: number;
  readonly call: ModelCall;
  readonly abortable: boolean;
  /** The function returned or threw. */
  fnDone: boolean;
  aborted: boolean;
  /** Set once the race is over. */
  outcome: CallerOutcome | undefined;
}

export class ModelWorld {
  readonly clock = new ModelClock();
  breaker: ReferenceBreaker;
  readonly calls: WorldCall[] = [];

  constructor(options: ModelOptions) {
    this.breaker = new ReferenceBreaker(options, this.clock);
  }

  get now(): number {
    return this.clock.now;
  }

  /** Calls whose function has not returned yet (of any breaker). */
  get running(): WorldCall[] {
    return this.calls.filter((call) => !call.fnDone);
  }

  /** Calls whose caller can still abort them. */
  get abortable(): WorldCall[] {
    return this.calls.filter((call) => call.abortable && !call.aborted);
  }

  start(options: CallOptions): WorldCall | Rejection {
    const call = this.breaker.start(options.timeout);
    if (call.kind === 'rejected') return call;
    const started: WorldCall = {
      id: this.calls.length,
      call,
      abortable: options.signal,
      fnDone: false,
      aborted: false,
      outcome: undefined,
    };
    this.calls.push(started);
    return started;
  }

  /** The function returned (`ok`) or threw. */
  finish(started: WorldCall, ok: boolean): void {
    started.fnDone = true;
    if (started.outcome !== undefined) return; // lost the race: ignored
    started.outcome = { kind: ok ? 'value' : 'error' };
    if (ok) started.call.breaker.succeed(started.call);
    else started.call.breaker.fail(started.call);
  }

  abort(started: WorldCall): void {
    started.aborted = true;
    if (started.outcome !== undefined) return;
    started.outcome = { kind: 'aborted' };
    started.call.breaker.abort(started.call);
  }

  /** Moves time on, firing every call timeout that falls due, in order, each at its own time. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let due = this.nextTimeout(target); due; due = this.nextTimeout(target)) {
      const { started, at } = due;
      this.clock.now = at;
      const timeout = started.call.timeout as number;
      started.outcome = { kind: 'timeout', timeout };
      started.call.breaker.timeOut(started.call);
    }
    this.clock.now = target;
  }

  /** `toRecord()` → `restore()` into a fresh breaker with the same options; calls in flight stay with the old one. */
  restore(record: BreakerRecord): void {
    this.breaker = ReferenceBreaker.restored(this.breaker.given, this.clock, record);
  }

  /** The earliest pending timeout due by `target`; ties go to the call started first. */
  private nextTimeout(target: number): { started: WorldCall; at: number } | undefined {
    let next: { started: WorldCall; at: number } | undefined;
    for (const started of this.calls) {
      const { timeout, startedAt } = started.call;
      if (started.outcome !== undefined || timeout === undefined) continue;
      const at = startedAt + timeout;
      if (at <= target && (next === undefined || at < next.at)) next = { started, at };
    }
    return next;
  }
}
