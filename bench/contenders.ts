import { CircuitBreaker } from '@breakwater/core';
import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
} from 'cockatiel';
import Opossum from 'opossum';

/** The async work every contender runs: the very same function for all of them. */
export type Work = () => Promise<unknown>;

export type ContenderId = 'bare' | 'breakwater' | 'opossum' | 'cockatiel';

/** One way of running a call: directly, or through one library's breaker. */
export interface Contender {
  readonly id: ContenderId;
  readonly label: string;
  /** Runs `work` once (bare: awaits it directly); settles as the call does. */
  readonly call: (work: Work) => Promise<unknown>;
  /** 'closed', 'open', or the library's name for another state; bare is always 'closed'. */
  circuit(): string;
  /** Stops the contender's timers so the process can exit. */
  dispose(): void;
}

/** The policy each library runs with, as printed in the report. */
export const policies: Readonly<Record<Exclude<ContenderId, 'bare'>, string>> = {
  breakwater:
    '`new CircuitBreaker(name, { failureThreshold: 5, resetTimeout: 30_000 })`, defaults otherwise (latency histogram and statistics on, no call timeout)',
  opossum:
    '`new CircuitBreaker(action, { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeout: 30_000, timeout: false })`: opossum cannot count consecutive failures, so this is the closest policy (>50% failures once 5 calls are in its 10 s rolling window)',
  cockatiel:
    '`circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) })`',
};

export function createBreakwater(name: string): CircuitBreaker {
  return new CircuitBreaker(name, { failureThreshold: 5, resetTimeout: 30_000 });
}

/** Opossum wraps one action per breaker; this action runs whatever work it is fired with. */
const runWork = (work: Work): Promise<unknown> => work();

/** `overrides` changes opossum defaults for a variant row, never for the main one. */
export function createOpossum(
  name: string,
  overrides: Opossum.Options<[Work]> = {},
): Opossum<[Work], unknown> {
  return new Opossum(runWork, {
    name,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: 30_000,
    timeout: false,
    ...overrides,
  });
}

export function createCockatiel(): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, {
    halfOpenAfter: 30_000,
    breaker: new ConsecutiveBreaker(5),
  });
}

/** Fresh instances of the four contenders (one breaker each), for one scenario. */
export function createContenders(): Contender[] {
  const breakwater = createBreakwater('bench');
  const opossum = createOpossum('bench');
  const cockatiel = createCockatiel();
  return [
    {
      id: 'bare',
      label: 'bare (await fn())',
      call: (work) => work(),
      circuit: () => 'closed',
      dispose: () => {},
    },
    {
      id: 'breakwater',
      label: 'Breakwater',
      call: (work) => breakwater.execute(work),
      circuit: () => breakwater.state,
      dispose: () => {},
    },
    {
      id: 'opossum',
      label: 'opossum 9',
      call: (work) => opossum.fire(work),
      circuit: () => (opossum.opened ? 'open' : opossum.halfOpen ? 'half-open' : 'closed'),
      dispose: () => opossum.shutdown(),
    },
    {
      id: 'cockatiel',
      label: 'cockatiel 3',
      call: (work) => cockatiel.execute(work),
      circuit: () => cockatielStates[cockatiel.state] ?? String(cockatiel.state),
      dispose: () => {},
    },
  ];
}

const cockatielStates: Partial<Record<CircuitState, string>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};
