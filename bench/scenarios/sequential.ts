import type { Contender } from '../contenders';
import type { Plan } from '../measure';
import { succeed } from '../work';
import { timeClosedCalls } from './closed-calls';
import type { TimedResult } from './timed-scenario';

/** Scenario 1: `await x(fn)` in a loop, every call succeeds. */
export async function sequentialCalls(plan: Plan): Promise<TimedResult> {
  const rows = await timeClosedCalls(sequentialLoop, plan);
  return {
    key: 'sequential',
    title: '1. Sequential successful calls',
    description: '`await call(fn)` in a loop; `fn` is an async function that resolves at once.',
    baselineId: 'bare',
    rows,
    plan,
    sample: `${plan.ops.toLocaleString('en-US')} sequential calls`,
    notes: [],
  };
}

function sequentialLoop(call: Contender['call']): (ops: number) => Promise<void> {
  return async (ops) => {
    for (let i = 0; i < ops; i++) await call(succeed);
  };
}
