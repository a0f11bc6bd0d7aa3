import {
  type BreakerRecord,
  type BreakerStatus,
  CircuitBreaker,
  isConfigError,
  type StateName,
} from '@breakwater/core';
import type fc from 'fast-check';
import { expect } from 'vitest';
import {
  compare,
  expectRejected,
  listen,
  type Real,
  type RealCall,
  startReal,
} from './model-harness';
import type { ModelOptions } from './model-options';
import type { CallOptions, ModelWorld, WorldCall } from './model-world';
import type { Rejection } from './reference-model';

/**
 * The commands of the model-based test. Each does one thing to the real
 * breaker and the same to the model, then `compare` checks that they agree.
 */

type Command = fc.AsyncCommand<ModelWorld, Real>;

function describeOptions({ timeout, signal }: CallOptions): string {
  const parts = [
    ...(timeout === undefined ? [] : [`timeout ${timeout}`]),
    ...(signal ? ['signal'] : []),
  ];
  return parts.length === 0 ? '' : `{ ${parts.join(', ')} }`;
}

/** Starts a call through both; on admission the real call joins `real.calls` at the model's index. */
async function startBoth(
  world: ModelWorld,
  real: Real,
  options: CallOptions,
  fn: (call: RealCall) => unknown,
): Promise<WorldCall | undefined> {
  const { call, ran, outcome } = startReal(real, options, fn);
  const started = world.start(options);
  if (isRejection(started)) {
    await expectRejected(started, ran(), outcome);
    return undefined;
  }
  expect(ran(), 'the function of an admitted call did not run').toBe(true);
  real.calls.push(call);
  return started;
}

function isRejection(started: WorldCall | Rejection): started is Rejection {
  return 'kind' in started && started.kind === 'rejected';
}

/** A call whose function stays in flight until `FinishCall` settles it. */
export class StartCall implements Command {
  constructor(readonly options: CallOptions) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    await startBoth(
      world,
      real,
      this.options,
      (call) =>
        new Promise((resolve, reject) => {
          call.finish = (ok) => (ok ? resolve('ok') : reject(call.error));
        }),
    );
    await compare(world, real);
  }
  toString = () => `start(${describeOptions(this.options)})`;
}

/** The function of a call in flight returns or throws: maybe after its timeout, abort, trial deadline, a transition or a restore. */
export class FinishCall implements Command {
  constructor(
    readonly pick: number,
    readonly ok: boolean,
  ) {}
  check = (world: Readonly<ModelWorld>) => world.running.length > 0;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const running = world.running;
    const started = running[this.pick % running.length] as WorldCall;
    real.calls[started.id]?.finish?.(this.ok);
    world.finish(started, this.ok);
    await compare(world, real);
  }
  toString = () => `${this.ok ? 'succeed' : 'fail'}(running ${this.pick})`;
}

/** A call that returns or throws at once. */
export class ImmediateCall implements Command {
  constructor(
    readonly ok: boolean,
    readonly options: CallOptions,
  ) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const started = await startBoth(world, real, this.options, (call) => {
      if (this.ok) return 'ok';
      throw call.error;
    });
    if (started) world.finish(started, this.ok);
    await compare(world, real);
  }
  toString = () =>
    `${this.ok ? 'immediateSuccess' : 'immediateFailure'}(${describeOptions(this.options)})`;
}

/** A call during which `ms` pass (the FakeClock moves inside it): slow, maybe timed out, other calls' timeouts firing meanwhile. */
export class SlowCall implements Command {
  constructor(
    readonly ms: number,
    readonly ok: boolean,
    readonly options: CallOptions,
  ) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    let work: Promise<unknown> | undefined;
    const started = await startBoth(world, real, this.options, (call) => {
      work = (async () => {
        await real.clock.advanceAsync(this.ms);
        if (!this.ok) throw call.error;
        return 'ok';
      })();
      return work;
    });
    await work?.catch(() => undefined);
    if (started) {
      world.advance(this.ms);
      world.finish(started, this.ok);
    }
    await compare(world, real);
  }
  toString = () =>
    `slow${this.ok ? 'Success' : 'Failure'}(${this.ms} ms${this.options.timeout === undefined && !this.options.signal ? '' : `, ${describeOptions(this.options)}`})`;
}

/** The caller aborts a call's signal: before it settled, or after (then nothing happens). */
export class AbortCall implements Command {
  constructor(readonly pick: number) {}
  check = (world: Readonly<ModelWorld>) => world.abortable.length > 0;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const abortable = world.abortable;
    const started = abortable[this.pick % abortable.length] as WorldCall;
    const call = real.calls[started.id];
    call?.controller?.abort(call.abortReason);
    world.abort(started);
    await compare(world, real);
  }
  toString = () => `abort(abortable ${this.pick})`;
}

/** A call whose signal was aborted before `execute`: it rejects with the reason, runs nothing and counts nothing. */
export class PreAbortedCall implements Command {
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const controller = new AbortController();
    const reason = new Error('aborted before the call');
    controller.abort(reason);
    let ran = false;
    const outcome = real.breaker
      .execute(
        () => {
          ran = true;
          return 'ok';
        },
        { signal: controller.signal },
      )
      .catch((error: unknown) => error);
    expect(await outcome).toBe(reason);
    expect(ran).toBe(false);
    await compare(world, real);
  }
  toString = () => 'preAbortedCall()';
}

export class Advance implements Command {
  constructor(
    readonly ms: number,
    readonly readStatus: boolean,
  ) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    await real.clock.advanceAsync(this.ms);
    world.advance(this.ms);
    await compare(world, real, this.readStatus);
  }
  toString = () => `advance(${this.ms}${this.readStatus ? '' : ', no status read'})`;
}

/** Lands on, or 1 ms before, the end of the open period: the `now < openUntil` edge. */
export class AdvanceToOpenEnd implements Command {
  constructor(readonly early: boolean) {}
  check = (world: Readonly<ModelWorld>) => world.breaker.state === 'open';
  async run(world: ModelWorld, real: Real): Promise<void> {
    const ms = Math.max(0, world.breaker.openUntil - world.now - (this.early ? 1 : 0));
    await real.clock.advanceAsync(ms);
    world.advance(ms);
    await compare(world, real);
  }
  toString = () => `advanceTo(openUntil${this.early ? ' - 1' : ''})`;
}

/** Lands on, or 1 ms before, the oldest trial's deadline: the `deadline <= now` edge of `trialTimeout`. */
export class AdvanceToTrialDeadline implements Command {
  constructor(
    readonly early: boolean,
    readonly readStatus: boolean,
  ) {}
  check = (world: Readonly<ModelWorld>) =>
    world.breaker.state === 'half-open' && world.breaker.trials.length > 0;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const [oldest] = world.breaker.trials;
    const ms = Math.max(0, (oldest?.deadline ?? world.now) - world.now - (this.early ? 1 : 0));
    await real.clock.advanceAsync(ms);
    world.advance(ms);
    await compare(world, real, this.readStatus);
  }
  toString = () =>
    `advanceTo(trial deadline${this.early ? ' - 1' : ''}${this.readStatus ? '' : ', no status read'})`;
}

export type Manual = 'forceOpen' | 'disable' | 'release' | 'reset';

export class ManualControl implements Command {
  constructor(readonly action: Manual) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    real.breaker[this.action]();
    world.breaker[this.action]();
    await compare(world, real);
  }
  toString = () => `${this.action}()`;
}

/** Valid changes apply at once; a merge that breaks a cross-option rule throws a `ConfigError` and changes nothing. */
export class Reconfigure implements Command {
  constructor(readonly changes: ModelOptions) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const problems = world.breaker.reconfigure(this.changes);
    let thrown: unknown;
    try {
      real.breaker.reconfigure(this.changes);
    } catch (error) {
      thrown = error;
    }
    if (problems.length === 0) {
      expect(thrown).toBeUndefined();
    } else {
      expect(isConfigError(thrown), `expected a ConfigError, got ${String(thrown)}`).toBe(true);
      expect(problems).toContain((thrown as { option: string }).option);
    }
    await compare(world, real);
  }
  toString = () => `reconfigure(${JSON.stringify(this.changes)})`;
}

/** What a restored breaker shows as its predecessor did: everything a record keeps. */
function restorable(status: BreakerStatus) {
  return {
    state: status.state,
    recoveryIn: status.recoveryIn,
    // A period that is over comes back as ending now: the next call is a trial either way.
    openUntil: status.recoveryIn === 0 ? 'over' : status.openUntil,
    recoveryAttempts: status.recoveryAttempts,
    failedRecoveries: status.failedRecoveries,
    currentResetTimeout: status.currentResetTimeout,
    lastRecoveryAttempt: status.lastRecoveryAttempt,
    lastFailure: status.lastFailure,
    totals: [
      status.totalAttempts,
      status.totalSuccesses,
      status.totalFailures,
      status.totalIgnored,
      status.rejected,
      status.timeouts,
    ],
    // A fresh breaker restored closed is closed since it was made.
    timeInCurrentState: status.state === 'closed' ? undefined : status.timeInCurrentState,
  };
}

/**
 * `toRecord()` → `restore()` into a fresh breaker with the same options, as
 * after a restart; the fresh one carries on. Calls still in flight belong to
 * the old breaker and no longer show.
 */
export class RestoreFresh implements Command {
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const record = real.breaker.toRecord();
    const { state, stateSince, openUntil, recoveryAttempts, failedRecoveries, totals } = record;
    expect({ state, stateSince, openUntil, recoveryAttempts, failedRecoveries, totals }).toEqual(
      world.breaker.toRecord(),
    );
    const before = real.breaker.status();
    real.unsubscribe();
    real.breaker = new CircuitBreaker('model', { ...world.breaker.given, clock: real.clock });
    real.events = [];
    listen(real);
    real.breaker.restore(record);
    world.restore(record);
    expect(restorable(real.breaker.status())).toEqual(restorable(before));
    await compare(world, real);
  }
  toString = () => 'toRecord → restore(fresh breaker)';
}

/** A record as another instance sharing the breaker publishes it; `malformed` names the field broken on purpose. */
export interface RecordSpec {
  readonly state: StateName;
  /** How long before now its state was entered (negative: a clock ahead of ours). */
  readonly sinceAgo: number;
  /** When its open period ends, from now (negative: already over). */
  readonly openIn: number;
  readonly recoveryAttempts: number;
  readonly failedRecoveries: number;
  readonly malformed?: 'record.state' | 'record.failedRecoveries' | 'record.openUntil';
}

function recordOf(spec: RecordSpec, wallNow: number): BreakerRecord {
  const record: BreakerRecord = {
    name: 'model',
    version: 7,
    state: spec.state,
    stateSince: wallNow - spec.sinceAgo,
    openUntil: spec.state === 'open' ? wallNow + spec.openIn : null,
    recoveryAttempts: spec.recoveryAttempts,
    failedRecoveries: spec.failedRecoveries,
    lastRecoveryAttempt: null,
    lastFailureTime: null,
    totals: { attempts: 9, successes: 4, failures: 5, ignored: 0, rejected: 3, timeouts: 1 },
  };
  switch (spec.malformed) {
    case undefined:
      return record;
    case 'record.state':
      return { ...record, state: 'ajar' as StateName };
    case 'record.failedRecoveries':
      return { ...record, failedRecoveries: -1 };
    case 'record.openUntil':
      return { ...record, state: 'open', openUntil: null };
  }
}

/** `adopt()` of another instance's record; a malformed one throws a `ConfigError` naming the field and changes nothing. */
export class Adopt implements Command {
  constructor(readonly spec: RecordSpec) {}
  check = () => true;
  async run(world: ModelWorld, real: Real): Promise<void> {
    const record = recordOf(this.spec, world.clock.wall);
    let thrown: unknown;
    try {
      real.breaker.adopt(record);
    } catch (error) {
      thrown = error;
    }
    if (this.spec.malformed === undefined) {
      expect(thrown).toBeUndefined();
      world.breaker.adopt(record);
    } else {
      expect(isConfigError(thrown), `expected a ConfigError, got ${String(thrown)}`).toBe(true);
      expect((thrown as { option: string }).option).toBe(this.spec.malformed);
    }
    await compare(world, real);
  }
  toString = () => `adopt(${JSON.stringify(this.spec)})`;
}
