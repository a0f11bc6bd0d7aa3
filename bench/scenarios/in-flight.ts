import type { Contender } from '../contenders';
import type { Plan } from '../measure';
import { succeed } from '../work';
import { timeClosedCalls } from './closed-calls';
import type { TimedResult } from './timed-scenario';

/** Calls started before the first is awaited. */
export const inFlight = 1_000;

/** Scenario 4: start 1,000 calls, then `await Promise.all` them; `plan.ops` is a multiple of 1,000. */
export async function concurrentCalls(plan: Plan): Promise<TimedResult> {
  const rows = await timeClosedCalls(batchLoop, plan);
  return {
    key: 'in-flight',
    title: `4. ${inFlight.toLocaleString('en-US')} calls in flight`,
    description: `Start ${inFlight.toLocaleString('en-US')} calls, then \`await Promise.all(calls)\`; ns per call.`,
    baselineId: 'bare',
    rows,
    plan,
    sample: `${plan.ops / inFlight} batches of ${inFlight.toLocaleString('en-US')}`,
    notes: [],
  };
}

/**
 * Scenario 4b: 1,000 calls whose functions all return the same pending
 * promise, released at once — a cache or a request coalescer in front of a
 * slow dependency. Each batch gets a fresh promise, resolved after all its
 * calls have started.
 */
export async function sharedPromiseCalls(plan: Plan): Promise<TimedResult> {
  const rows = await timeClosedCalls(sharedPromiseLoop, plan);
  return {
    key: 'shared-promise',
    title: `4b. ${inFlight.toLocaleString('en-US')} calls awaiting one shared promise`,
    description: `Start ${inFlight.toLocaleString('en-US')} calls whose function returns the same pending promise, resolve it, then \`await Promise.all(calls)\`; ns per call.`,
    baselineId: 'bare',
    rows,
    plan,
    sample: `${plan.ops / inFlight} batches of ${inFlight.toLocaleString('en-US')}`,
    notes: [],
  };
}

function sharedPromiseLoop(call: Contender['call']): (ops: number) => Promise<void> {
  const calls = new Array<Promise<unknown>>(inFlight);
  return async (ops) => {
    for (let done = 0; done < ops; done += inFlight) {
      let release: (value: number) => void = () => {};
      const pending = new Promise<number>((resolve) => {
        release = resolve;
      });
      const work = () => pending;
      for (let i = 0; i < inFlight; i++) calls[i] = call(work);
      release(42);
      await Promise.all(calls);
    }
  };
}

function batchLoop(call: Contender['call']): (ops: number) => Promise<void> {
  const calls = new Array<Promise<unknown>>(inFlight);
  return async (ops) => {
    for (let done = 0; done < ops; done += inFlight) {
      for (let i = 0; i < inFlight; i++) calls[i] = call(succeed);
      await Promise.all(calls);
    }
  };
}
