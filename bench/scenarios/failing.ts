import { type Contender, createContenders, createOpossum } from '../contenders';
import type { Plan } from '../measure';
import { fail, succeed } from '../work';
import {
  contenderEntry,
  disposeAll,
  expectCircuits,
  type TimedEntry,
  type TimedResult,
  timeEntries,
} from './timed-scenario';

/** Calls per sample for opossum with its default rolling percentiles (see the note below). */
const opossumWindowCalls = 2_000;

/** Scenario 2: every 10th call rejects with a pre-built error, so no breaker ever trips. */
export async function failingCalls(plan: Plan): Promise<TimedResult> {
  const contenders = createContenders();
  const byId = (id: Contender['id']) => {
    const found = contenders.find((contender) => contender.id === id);
    if (found === undefined) throw new Error(`no contender ${id}`);
    return contenderEntry(found, failingLoop);
  };
  const windowCalls = Math.min(plan.ops, opossumWindowCalls);
  const fresh = freshOpossum(windowCalls);
  const noPercentiles = createOpossum('bench-no-percentiles', { rollingPercentilesEnabled: false });
  try {
    const rows = await timeEntries(
      [
        byId('bare'),
        byId('breakwater'),
        fresh.entry,
        {
          id: 'opossum-no-percentiles',
          label: 'opossum 9, rollingPercentilesEnabled: false (variant)',
          peer: true,
          run: failingLoop((work) => noPercentiles.fire(work)),
        },
        byId('cockatiel'),
      ],
      plan,
    );
    expectCircuits(contenders, 'closed');
    if (!noPercentiles.closed) throw new Error('opossum (no percentiles) tripped');
    return {
      key: 'failing',
      title: '2. 10% failing calls (never trips)',
      description:
        'Every 10th call rejects with a pre-built `Error` (never 5 in a row, never >50%), caught by the caller; the circuit stays closed.',
      baselineId: 'bare',
      rows,
      plan,
      sample: `${plan.ops.toLocaleString('en-US')} sequential calls, 10% failing`,
      notes: [
        `On every failure opossum reads its rolling stats, which concatenates and sorts every latency recorded in its 10 s window (\`rollingPercentilesEnabled\`, on by default): its cost per failing call grows with the calls in that window, without bound. To keep that row's figure defined, it gets a new breaker before each sample of ${windowCalls.toLocaleString('en-US')} calls, so the window never holds more; at higher call rates it is slower still. The variant row turns the percentiles off (one breaker, full-size samples).`,
      ],
    };
  } finally {
    disposeAll(contenders);
    fresh.dispose();
    noPercentiles.shutdown();
  }
}

/** Opossum with its default policy, on a new breaker before each sample (untimed). */
function freshOpossum(ops: number): { entry: TimedEntry; dispose: () => void } {
  let breaker = createOpossum('bench-fresh');
  return {
    entry: {
      id: 'opossum',
      label: `opossum 9 (≤ ${ops.toLocaleString('en-US')} calls in its window)`,
      peer: true,
      ops,
      prepare: () => {
        breaker.shutdown();
        breaker = createOpossum('bench-fresh');
      },
      run: failingLoop((work) => breaker.fire(work)),
    },
    dispose: () => breaker.shutdown(),
  };
}

function failingLoop(call: Contender['call']): (ops: number) => Promise<void> {
  return async (ops) => {
    for (let i = 0; i < ops; i++) {
      try {
        await call(i % 10 === 9 ? fail : succeed);
      } catch {
        // the planned 10%
      }
    }
  };
}
