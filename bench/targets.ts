import { ns, times } from './format';
import type { FootprintResult } from './scenarios/footprint';
import type { OpenPathResources, RejectionResult } from './scenarios/rejection';
import type { TimedResult } from './scenarios/timed-scenario';
import type { SharedMode } from './shared/shared-mode';
import { ms } from './shared/shared-report';

/** One of Breakwater's performance targets: measured and reported, never asserted. */
export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface Measured {
  readonly sequential: TimedResult;
  readonly inFlight: TimedResult;
  readonly sharedPromise: TimedResult;
  readonly rejection: RejectionResult;
  readonly footprint: FootprintResult;
}

export function evaluateTargets({
  sequential,
  inFlight,
  sharedPromise,
  rejection,
  footprint,
}: Measured): Target[] {
  const bwRejection = median(rejection, 'breakwater');
  const reference = median(rejection, 'reference');
  const peers = rejection.rows.filter((row) => row.peer);
  const fastestPeer = peers.reduce((best, row) =>
    row.summary.median < best.summary.median ? row : best,
  );
  const openPath = rejection.resources.find((entry) => entry.label === 'Breakwater');
  const idle = footprint.rows.find((row) => row.label === 'Breakwater');
  return [
    overheadTarget('Closed-call overhead, sequential calls (scenario 1)', sequential, 1 / 3),
    ...builtTarget('Closed-call overhead, sequential calls, built package', sequential, 1 / 3),
    overheadTarget('Closed-call overhead, 1,000 in flight (scenario 4)', inFlight, 1 / 3),
    ...builtTarget('Closed-call overhead, 1,000 in flight, built package', inFlight, 1 / 3),
    overheadTarget(
      'Closed-call overhead, 1,000 calls awaiting one shared promise (scenario 4b)',
      sharedPromise,
      1 / 2,
    ),
    {
      name: 'Open-circuit rejection vs awaiting a pre-built rejection (scenario 3)',
      goal: '≤ 1.5×',
      measured: `${ns(bwRejection)} vs ${ns(reference)}: ${times(bwRejection / reference)}`,
      met: bwRejection <= 1.5 * reference,
    },
    {
      name: 'Open-circuit rejection vs the fastest peer (scenario 3)',
      goal: '≥ 3× faster',
      measured: `${ns(bwRejection)} vs ${fastestPeer.label} ${ns(fastestPeer.summary.median)}: ${times(fastestPeer.summary.median / bwRejection)} faster`,
      met: fastestPeer.summary.median >= 3 * bwRejection,
    },
    {
      name: 'Open path allocates no timer (scenario 3)',
      goal: '0 timers, 0 new active resources',
      measured: openPath === undefined ? 'not measured' : describeOpenPath(openPath),
      met:
        openPath !== undefined &&
        openPath.resources.timersCreated === 0 &&
        openPath.resources.activeResources === 0,
    },
    {
      name: 'Memory per idle breaker (scenario 5)',
      goal: '≤ 1 KB (1,024 bytes)',
      measured: idle === undefined ? 'not measured' : `${Math.round(idle.idleHeap.median)} bytes`,
      met: idle !== undefined && idle.idleHeap.median <= 1024,
    },
    {
      name: 'Memory per breaker after its first call (scenario 5)',
      goal: '≤ 1.5 KB (1,536 bytes)',
      measured: idle === undefined ? 'not measured' : `${Math.round(idle.warmHeap.median)} bytes`,
      met: idle !== undefined && idle.warmHeap.median <= 1536,
    },
    {
      name: 'Timers per idle breaker (scenario 5)',
      goal: '0',
      measured:
        idle === undefined
          ? 'not measured'
          : `${idle.timers} timers, ${idle.activeResources} active resources per breaker`,
      met: idle !== undefined && idle.timers === 0 && idle.activeResources === 0,
    },
  ];
}

/** The same target for the built package's row, when `dist/` was there to time. */
function builtTarget(name: string, result: TimedResult, share: number): Target[] {
  const built = result.rows.some((row) => row.id === 'breakwater-built');
  return built ? [overheadTarget(name, result, share, 'breakwater-built')] : [];
}

/** Breakwater's overhead over bare at most `share` of cockatiel's. */
function overheadTarget(
  name: string,
  result: TimedResult,
  share: number,
  id = 'breakwater',
): Target {
  const bare = median(result, 'bare');
  const bw = median(result, id) - bare;
  const cockatiel = median(result, 'cockatiel') - bare;
  return {
    name,
    goal: `≤ ${share === 1 / 3 ? '⅓' : share === 1 / 2 ? '½' : share}× cockatiel’s overhead over bare`,
    measured: `Breakwater +${ns(bw)} vs cockatiel +${ns(cockatiel)}: ${times(bw / cockatiel)}`,
    met: bw <= share * cockatiel,
  };
}

/** Shared mode's targets; none when it was not measured. */
export function evaluateSharedTargets(shared: SharedMode): Target[] {
  if (shared.kind === 'skipped') return [];
  const { closedCalls, propagation } = shared;
  const worst = propagation.rows.reduce((slowest, row) => (row.p99 > slowest.p99 ? row : slowest));
  return [
    {
      name: 'Closed-call cost, shared ÷ local registry (scenario 6)',
      goal: '≤ 1.5×',
      measured: `${ns(closedCalls.shared.median)} vs ${ns(closedCalls.local.median)}: ${times(closedCalls.ratio)}`,
      met: closedCalls.ratio <= 1.5,
    },
    {
      name: `Open propagation across ${propagation.instances} processes, p99 (scenario 6)`,
      goal: '≤ 50 ms',
      measured: propagation.rows.map((row) => `${row.trip}: ${ms(row.p99)}`).join('; '),
      met: worst.p99 <= 50,
    },
  ];
}

function describeOpenPath({ calls, resources }: OpenPathResources): string {
  return `${resources.timersCreated} timers created, ${resources.activeResources} new active resources over ${calls.toLocaleString('en-US')} rejections`;
}

function median(result: TimedResult, id: string): number {
  const row = result.rows.find((candidate) => candidate.id === id);
  if (row === undefined) throw new Error(`${result.title}: no row ${id}`);
  return row.summary.median;
}
