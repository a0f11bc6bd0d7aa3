import type { LoadWorker } from './load-fleet';
import { probeBreaker } from './load-plan';

/** How the tripping instance opens the probe. */
export type TripKind = 'forceOpen' | 'failures';

export interface PropagationRow {
  readonly trip: TripKind;
  readonly rounds: number;
  /** One per other instance per round: when it saw the probe open, after the tripping one did. */
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Open propagation under load, measured as bench/shared does it: each round
 * one worker (in turn) opens the probe breaker, by `forceOpen()` or by
 * `failureThreshold` failing calls, and every process stamps the change with
 * `performance.timeOrigin + performance.now()` (one machine, one clock); a
 * sample is another process's stamp minus the tripping one's. The probe is
 * closed again, and seen closed everywhere, between rounds.
 */
export async function measurePropagation(
  workers: readonly LoadWorker[],
  rounds: number,
): Promise<PropagationRow[]> {
  await Promise.all(workers.map((worker) => worker.send({ cmd: 'watch' })));
  const rows: PropagationRow[] = [];
  for (const trip of ['forceOpen', 'failures'] as const) {
    const latencies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const tripper = workers[round % workers.length];
      if (tripper === undefined) continue;
      latencies.push(...(await tripRound(workers, tripper, trip)));
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
  return rows;
}

async function tripRound(
  workers: readonly LoadWorker[],
  tripper: LoadWorker,
  trip: TripKind,
): Promise<number[]> {
  const open = trip === 'forceOpen' ? 'forced-open' : 'open';
  const opened = workers.map((worker) => worker.nextProbeChange(open));
  if (trip === 'forceOpen') await tripper.send({ cmd: 'manual', action: 'forceOpen' });
  else await tripper.send({ cmd: 'fail', count: probeBreaker.failureThreshold });
  const changes = await Promise.all(opened);
  const origin = changes[tripper.index]?.at ?? Number.NaN;
  const latencies = changes.flatMap((change, index) =>
    index === tripper.index ? [] : [change.at - origin],
  );
  // The open is written before the release, as bench/shared does: a
  // transition made while an older one is still being written may be undone.
  await tripper.send({ cmd: 'flush' });
  const closed = workers.map((worker) => worker.nextProbeChange('closed'));
  await tripper.send({ cmd: 'manual', action: trip === 'forceOpen' ? 'release' : 'reset' });
  await Promise.all(closed);
  await tripper.send({ cmd: 'flush' });
  return latencies;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
