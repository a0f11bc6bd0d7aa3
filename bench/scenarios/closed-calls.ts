import { builtCoreEntry } from '../built-core';
import { type Contender, createContenders } from '../contenders';
import type { Plan } from '../measure';
import {
  contenderEntry,
  disposeAll,
  expectCircuits,
  type TimedRow,
  timeEntries,
} from './timed-scenario';

/**
 * Times `loop` over fresh contenders, and over the built package when it is
 * there, and checks every circuit stayed closed: the closed-call scenarios
 * differ only in their loop.
 */
export async function timeClosedCalls(
  loop: (call: Contender['call']) => (ops: number) => Promise<void>,
  plan: Plan,
): Promise<TimedRow[]> {
  const contenders = createContenders();
  try {
    const built = await builtCoreEntry(loop);
    const rows = await timeEntries(
      [
        ...contenders.map((contender) => contenderEntry(contender, loop)),
        ...(built ? [built] : []),
      ],
      plan,
    );
    expectCircuits(contenders, 'closed');
    return rows;
  } finally {
    disposeAll(contenders);
  }
}
