import { type Fleet, type FleetWorker, startFleet } from '../../tests/shared/support/fleet';
import { percentile } from '../nearest-rank';
import { benchService, benchServices } from './bench-services';

/** Instances in the fleet; one trips, the others measure. */
const instances = 4;

/** How the tripping instance opens the circuit. */
export type TripKind = 'forceOpen' | 'failures';

/** Open-propagation latency for one way of tripping, ms. */
export interface PropagationRow {
  readonly trip: TripKind;
  readonly rounds: number;
  /** One per other instance per round: when it saw the open circuit, after the tripping one did. */
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface Propagation {
  readonly instances: number;
  readonly rows: readonly PropagationRow[];
}

/**
 * `instances` worker processes share a breaker on the private server at
 * `url`. Each round one of them (in turn) opens it, by `forceOpen()` or by
 * `failureThreshold` failing calls, and every process stamps its stateChange
 * event with `performance.timeOrigin + performance.now()`; the latency is
 * the other instance's stamp minus the tripping one's. Between rounds the
 * circuit is closed again (release / reset) and every instance has seen it.
 */
export async function openPropagation(
  url: string,
  rounds: number,
  warmupRounds: number,
): Promise<Propagation> {
  const fleet = await startFleet(instances, {
    url,
    keyPrefix: 'bench-propagation:',
    services: benchServices,
  });
  try {
    await Promise.all(fleet.workers.map((worker) => worker.send({ cmd: 'watch' })));
    const rows: PropagationRow[] = [];
    for (const trip of ['forceOpen', 'failures'] as const) {
      const latencies: number[] = [];
      for (let round = 0; round < warmupRounds + rounds; round++) {
        const measured = await tripRound(fleet, fleet.worker(round % instances), trip);
        if (round >= warmupRounds) latencies.push(...measured);
      }
      latencies.sort((a, b) => a - b);
      rows.push({
        trip,
        rounds,
        samples: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies[latencies.length - 1] ?? Number.NaN,
      });
    }
    return { instances, rows };
  } finally {
    await fleet.close();
  }
}

/** One round: `tripper` opens the circuit; resolves with each other instance's latency, ms. */
async function tripRound(fleet: Fleet, tripper: FleetWorker, trip: TripKind): Promise<number[]> {
  const open = trip === 'forceOpen' ? 'forced-open' : 'open';
  const opened = fleet.workers.map((worker) => worker.nextStateChange(({ to }) => to === open));
  if (trip === 'forceOpen') {
    await tripper.send({ cmd: 'manual', service: benchService, actions: ['forceOpen'] });
  } else {
    const { failureThreshold } = benchServices[benchService];
    await tripper.send({
      cmd: 'calls',
      service: benchService,
      count: failureThreshold,
      outcome: 'failure',
    });
  }
  const changes = await Promise.all(opened);
  const origin = changes[tripper.index]?.at ?? Number.NaN;
  const latencies = changes.flatMap((change, index) =>
    index === tripper.index ? [] : [change.at - origin],
  );
  // The tripper's writes are done before the next transition, after each: a
  // transition made while an older one is still being written was seen to be
  // undone under load (see the report of this change).
  await tripper.send({ cmd: 'flush' });
  const closed = fleet.workers.map((worker) => worker.nextStateChange(({ to }) => to === 'closed'));
  const action = trip === 'forceOpen' ? 'release' : 'reset';
  await tripper.send({ cmd: 'manual', service: benchService, actions: [action] });
  await Promise.all(closed);
  await tripper.send({ cmd: 'flush' });
  return latencies;
}

/** Nearest-rank percentile of an ascending array. */
