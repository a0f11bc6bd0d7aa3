import { builtCoreEntry } from '../built-core';
import { type Contender, createContenders } from '../contenders';
import type { Plan } from '../measure';
import { succeed } from '../work';
import {
  contenderEntry,
  disposeAll,
  expectCircuits,
  type TimedResult,
  timeEntries,
} from './timed-scenario';

/** Scenario 1: `await x(fn)` in a loop, every call succeeds. */
export async function sequentialCalls(plan: Plan): Promise<TimedResult> {
  const contenders = createContenders();
  try {
    const built = await builtCoreEntry(sequentialLoop);
    const rows = await timeEntries(
      [
        ...contenders.map((contender) => contenderEntry(contender, sequentialLoop)),
        ...(built ? [built] : []),
      ],
      plan,
    );
    expectCircuits(contenders, 'closed');
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
  } finally {
    disposeAll(contenders);
  }
}

function sequentialLoop(call: Contender['call']): (ops: number) => Promise<void> {
  return async (ops) => {
    for (let i = 0; i < ops; i++) await call(succeed);
  };
}
