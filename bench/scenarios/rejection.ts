import { type Contender, createBreakwater } from '../contenders';
import type { Plan } from '../measure';
import { countResources, type ResourceCount } from '../resources';
import { plannedFailure, succeed } from '../work';
import { OpenContenders } from './open-contenders';
import { expectCircuits, type TimedEntry, type TimedResult, timeEntries } from './timed-scenario';

/** Rejections run while counting timers and handles. */
const timerCheckCalls = 1_000;

/** The open-path timer check of one contender. */
export interface OpenPathResources {
  readonly label: string;
  readonly calls: number;
  readonly resources: ResourceCount;
}

export interface RejectionResult extends TimedResult {
  readonly resources: readonly OpenPathResources[];
}

/**
 * Scenario 3: calls rejected by an open circuit. Each breaker is tripped by
 * five failing calls (the natural open path, not a manual switch), and
 * compared with the floor any rejection pays: awaiting a rejected promise.
 */
export async function openCircuitRejections(plan: Plan): Promise<RejectionResult> {
  const open = await OpenContenders.open();
  const forced = createBreakwater('bench-forced');
  forced.forceOpen();
  const forcedCall: Contender['call'] = (work) => forced.execute(work);
  try {
    const errors = await Promise.all(open.contenders.map(rejectionOf));
    const breakerEntry = ({ id, label }: Contender): TimedEntry => ({
      id,
      label,
      peer: id !== 'breakwater',
      prepare: () => open.refreshIfStale(),
      run: rejectedLoop(() => open.call(id)),
    });
    const entriesOf = (breakwater: boolean) =>
      open.contenders.filter((c) => (c.id === 'breakwater') === breakwater).map(breakerEntry);
    const entries: TimedEntry[] = [
      {
        id: 'reference',
        label: 'reference: await a pre-built rejection',
        peer: false,
        run: referenceLoop,
      },
      {
        id: 'reference-late',
        label: 'reference: await a promise rejected a microtask later (variant)',
        peer: false,
        run: lateRejectionLoop,
      },
      ...entriesOf(true),
      {
        id: 'breakwater-forced',
        label: 'Breakwater, forceOpen() (variant)',
        peer: false,
        run: rejectedLoop(() => forcedCall),
      },
      ...entriesOf(false),
    ];
    const rows = await timeEntries(entries, plan);
    const resources: OpenPathResources[] = [];
    for (const contender of open.contenders) {
      const loop = rejectedLoop(() => contender.call);
      resources.push({
        label: contender.label,
        calls: timerCheckCalls,
        resources: await countResources(() => loop(timerCheckCalls)),
      });
    }
    expectCircuits(open.contenders, 'open');
    return {
      key: 'rejection',
      title: '3. Calls rejected by an open circuit',
      description:
        'Each breaker is tripped by 5 failing calls first (opossum: 5 of 5 failed, over its volume threshold), then `try { await call(fn) } catch {}` in a loop; `fn` never runs.',
      baselineId: 'reference',
      rows,
      plan,
      sample: `${plan.ops.toLocaleString('en-US')} rejected calls`,
      notes: [
        `Rejections seen: ${errors.join('; ')}.`,
        'Reference row: `try { await Promise.reject(prebuiltError) } catch {}`. Most of its cost is Node’s unhandled-rejection tracking: a promise rejected before any handler is attached goes through two V8 → Node callbacks (rejected without handler, then handler added). The "rejected a microtask later" variant rejects a pending promise from a microtask, after the `await` has attached its handler, and skips both: it is the real floor of a promise-returning fail-fast path.',
        'The forceOpen() variant rejects without reading the clock; the tripped breaker reads it once per call to know whether the open period is over.',
        `Breakers re-tripped with fresh instances ${open.refreshes} time(s) to stay inside the 30 s open period; all were open at the end.`,
      ],
      resources,
    };
  } finally {
    open.dispose();
  }
}

/** Checks that a call is rejected without running, and names what it is rejected with. */
async function rejectionOf(contender: Contender): Promise<string> {
  let ran = false;
  const error: unknown = await contender
    .call(async () => (ran = true))
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  if (ran || !(error instanceof Error)) {
    throw new Error(`${contender.label} ran a call while its circuit was open`);
  }
  const code = (error as { code?: unknown }).code;
  return `${contender.label} → ${error.constructor.name}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** `current` is read once per sample: the breakers may have been replaced in between. */
function rejectedLoop(current: () => Contender['call']): (ops: number) => Promise<void> {
  return async (ops) => {
    const call = current();
    for (let i = 0; i < ops; i++) {
      try {
        await call(succeed);
      } catch {
        // rejected: the circuit is open
      }
    }
  };
}

async function referenceLoop(ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) {
    try {
      await Promise.reject(plannedFailure);
    } catch {
      // the point of the reference
    }
  }
}

const settled = Promise.resolve();

/**
 * A promise that rejects one microtask later, once the caller's `await` has
 * attached its handler. No named closure here: tsx compiles with `keepNames`,
 * which would add an `Object.defineProperty` per call.
 */
function rejectLater(error: unknown): Promise<never> {
  return new Promise<never>((_, reject) => {
    void settled.then(() => reject(error));
  });
}

async function lateRejectionLoop(ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) {
    try {
      await rejectLater(plannedFailure);
    } catch {
      // the point of the reference
    }
  }
}
