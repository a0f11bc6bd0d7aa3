/**
 * One instance of a shared-mode fleet in a child process (started by
 * fleet.ts with `fork`): opens a shared registry on the Redis URL and key
 * prefix given as JSON in argv[2], says `ready`, then obeys the parent's
 * commands over IPC and answers each with its id.
 */
import {
  type CircuitBreaker,
  type Clock,
  isCircuitOpenError,
  Registry,
  type StateName,
  systemClock,
} from '@breakwater/core';
import { RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import { answerRequests, sendToParent } from './worker-requests';

export interface WorkerSettings {
  /** The Redis to share through: one server's URL, or `cluster` seed URLs instead. */
  readonly url?: string;
  readonly cluster?: readonly string[];
  readonly keyPrefix: string;
  /** Shared-mode options of the store (flushInterval, permitLease…). */
  readonly store?: Omit<RedisStoreOptions, 'url' | 'cluster' | 'keyPrefix'>;
  readonly services: Record<string, Record<string, unknown>>;
}

export type Command =
  /** `count` sequential calls that succeed or fail; `flush`: then `registry.flush()` at once. */
  | {
      readonly cmd: 'calls';
      service: string;
      count: number;
      outcome: 'success' | 'failure';
      flush?: boolean;
    }
  | { readonly cmd: 'flush' }
  | { readonly cmd: 'state'; service: string }
  /** One call whose function stays pending until `finish`: reports whether it was admitted. */
  | { readonly cmd: 'trial'; service: string }
  | { readonly cmd: 'finish'; trial: number; outcome: 'success' | 'failure' }
  /** From now on, report every stateChange as a `StateChangeReport`. */
  | { readonly cmd: 'watch' }
  /** Manual actions through the registry, one after another (each awaited). */
  | { readonly cmd: 'manual'; service: string; actions: ManualAction[] }
  /** Moves this instance's clock forward (see `steppedClock`). */
  | { readonly cmd: 'advance'; ms: number }
  | { readonly cmd: 'close' };

/** What each command answers with. */
export interface Results {
  calls: { succeeded: number; failed: number; rejected: number; state: StateName };
  flush: null;
  state: {
    state: StateName;
    sharing: 'shared' | 'degraded' | undefined;
    /** Why sharing is degraded; null when shared. */
    reason: string | null | undefined;
    /** The breaker's failureThreshold in force. */
    failureThreshold: number;
  };
  trial: { admitted: boolean; trial: number | undefined; state: StateName };
  finish: null;
  watch: null;
  manual: { state: StateName };
  advance: null;
  close: null;
}

export type ManualAction = 'forceOpen' | 'release' | 'reset' | 'disable';

export type Request = Command & { readonly id: number };

export interface StateChangeReport {
  readonly type: 'stateChange';
  readonly service: string;
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: string;
  /** When this process saw it: `performance.timeOrigin + performance.now()`, ms. */
  readonly at: number;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly instance: string }
  | { readonly type: 'reply'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: string }
  | StateChangeReport;

/**
 * The system clock plus an offset that `advance` raises: a test jumps over an
 * open period without waiting, while permit leases still lapse in real time.
 * Every instance of a fleet is advanced alike, so their clocks stay in step.
 */
function steppedClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => systemClock.now() + offset,
    monotonic: () => systemClock.monotonic() + offset,
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
    advance: (ms) => {
      offset += ms;
    },
  };
}

const send = (message: WorkerMessage, then?: () => void) => sendToParent(message, then);

const settings = JSON.parse(process.argv[2] ?? '') as WorkerSettings;
const clock = steppedClock();
const store = await RedisStore.connect({
  ...(settings.cluster === undefined ? { url: settings.url } : { cluster: settings.cluster }),
  keyPrefix: settings.keyPrefix,
  ...settings.store,
});
const registry = await Registry.open({
  store,
  shared: true,
  services: settings.services,
  clock,
});
/** Trials admitted and still running, by id. */
const trials = new Map<number, { settle(outcome: 'success' | 'failure'): Promise<unknown> }>();
let nextTrial = 1;

async function run(command: Command): Promise<Results[Command['cmd']]> {
  switch (command.cmd) {
    case 'calls': {
      const tally = await calls(registry.breaker(command.service), command.count, command.outcome);
      if (command.flush === true) await registry.flush();
      return tally;
    }
    case 'flush':
      await registry.flush();
      return null;
    case 'state': {
      const breaker = registry.breaker(command.service);
      const sharing = registry.sharingStatus();
      return {
        state: breaker.state,
        sharing: sharing?.mode,
        reason: sharing?.reason,
        failureThreshold: breaker.options.failureThreshold,
      };
    }
    case 'trial':
      return trial(registry.breaker(command.service));
    case 'finish': {
      const running = trials.get(command.trial);
      if (running === undefined) throw new Error(`no trial ${command.trial} is running`);
      trials.delete(command.trial);
      await running.settle(command.outcome);
      return null;
    }
    case 'watch':
      registry.on('stateChange', ({ service, from, to, reason }) =>
        send({ type: 'stateChange', service, from, to, reason, at: highResolutionNow() }),
      );
      return null;
    case 'manual':
      for (const action of command.actions) await registry[action](command.service);
      return { state: registry.breaker(command.service).state };
    case 'advance':
      clock.advance(command.ms);
      return null;
    case 'close':
      await registry.close();
      return null;
  }
}

async function calls(
  breaker: CircuitBreaker,
  count: number,
  outcome: 'success' | 'failure',
): Promise<Results['calls']> {
  const tally = { succeeded: 0, failed: 0, rejected: 0 };
  const operation = () =>
    outcome === 'success' ? Promise.resolve('ok') : Promise.reject(new Error('down'));
  for (let i = 0; i < count; i++) {
    await breaker.execute(operation).then(
      () => tally.succeeded++,
      (error: unknown) => (isCircuitOpenError(error) ? tally.rejected++ : tally.failed++),
    );
  }
  return { ...tally, state: breaker.state };
}

function trial(breaker: CircuitBreaker): Results['trial'] {
  let settle: ((outcome: 'success' | 'failure') => void) | undefined;
  // An admitted call runs its function at once, within execute().
  const call = breaker.execute(
    () =>
      new Promise((resolve, reject) => {
        settle = (outcome) => (outcome === 'success' ? resolve('ok') : reject(new Error('down')));
      }),
  );
  const ended = call.catch(() => undefined);
  if (settle === undefined) return { admitted: false, trial: undefined, state: breaker.state };
  const id = nextTrial++;
  const finish = settle;
  trials.set(id, {
    settle: (outcome) => {
      finish(outcome);
      return ended;
    },
  });
  return { admitted: true, trial: id, state: breaker.state };
}

function highResolutionNow(): number {
  return performance.timeOrigin + performance.now();
}

answerRequests<Request>(run);
send({ type: 'ready', instance: registry.sharingStatus()?.instance ?? 'unknown' });
