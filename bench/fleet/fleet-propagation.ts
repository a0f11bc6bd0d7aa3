import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../nearest-rank';
import type { LoadWorker } from './load-fleet';
import { probeBreaker } from './load-plan';

/** How the tripping instance opens the probe. */
export type TripKind = 'forceOpen' | 'failures';

/** How long every instance has to see a change before the round counts as failed, ms. */
const seenWithin = 10_000;

export interface PropagationRow {
  readonly trip: TripKind;
  readonly rounds: number;
  /** Rounds that did not complete (an action refused while degraded, or a change not seen in time). */
  readonly failedRounds: number;
  /** Why the first of them failed. */
  readonly firstFailure: string | null;
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
    const failures: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const tripper = workers[round % workers.length];
      if (tripper === undefined) continue;
      try {
        latencies.push(...(await tripRound(workers, tripper, trip)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(shorten(message.split('\n')[0] ?? ''));
        await closeProbe(workers);
      }
    }
    latencies.sort((a, b) => a - b);
    rows.push({
      trip,
      rounds,
      failedRounds: failures.length,
      firstFailure: failures[0] ?? null,
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
  // Awaited together from the start: a round that fails early leaves none unhandled.
  const opened = Promise.all(workers.map((worker) => worker.nextProbeChange(open, seenWithin)));
  opened.catch(() => {});
  if (trip === 'forceOpen') await tripper.send({ cmd: 'manual', action: 'forceOpen' });
  else await tripper.send({ cmd: 'fail', count: probeBreaker.failureThreshold });
  const changes = await opened;
  const origin = changes[tripper.index]?.at ?? Number.NaN;
  const latencies = changes.flatMap((change, index) =>
    index === tripper.index ? [] : [change.at - origin],
  );
  // The open is written before the release, as bench/shared does: a
  // transition made while an older one is still being written may be undone.
  await tripper.send({ cmd: 'flush' });
  const closed = Promise.all(workers.map((worker) => worker.nextProbeChange('closed', seenWithin)));
  closed.catch(() => {});
  await tripper.send({ cmd: 'manual', action: trip === 'forceOpen' ? 'release' : 'reset' });
  await closed;
  await tripper.send({ cmd: 'flush' });
  return latencies;
}

/**
 * After a failed round: a moment for degraded instances to reconcile, then
 * the probe reset through the first instance that accepts it.
 */
async function closeProbe(workers: readonly LoadWorker[]): Promise<void> {
  await sleep(2_000);
  for (const worker of workers) {
    const done = await worker.send({ cmd: 'manual', action: 'reset' }).then(
      () => true,
      () => false,
    );
    if (done) break;
  }
  await sleep(1_000);
}

/** A failure's first line, cut at 130 characters for a table cell. */
function shorten(line: string): string {
  return line.length <= 130 ? line : `${line.slice(0, 130)}…`;
}
