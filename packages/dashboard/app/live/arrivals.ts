import type { ServiceSnapshot } from '@breakwater/protocol';

// Keyed by the snapshot object: `keepUnchanged` keeps an unchanged snapshot's
// identity, so it keeps its arrival time, and dropped snapshots are collected.
const arrivals = new WeakMap<ServiceSnapshot, number>();

/** Records when `snapshot` reached the page (epoch ms), unless already known. */
export function noteArrival(snapshot: ServiceSnapshot, at: number): void {
  if (!arrivals.has(snapshot)) arrivals.set(snapshot, at);
}

/**
 * When the next recovery trial is due, epoch ms by the page's clock, or
 * undefined unless the circuit is open with a known delay. `recoveryIn` is
 * relative to the monitor's message, so adding it to the arrival time keeps
 * the page right even when its clock and the monitor's disagree.
 */
export function recoveryDeadline(snapshot: ServiceSnapshot): number | undefined {
  const { recoveryIn } = snapshot.circuit;
  const arrived = arrivals.get(snapshot);
  if (recoveryIn === null || arrived === undefined) return undefined;
  return arrived + recoveryIn;
}
