import type { InstanceReport, StateName } from './fleet-api';

/** The instances that see a breaker in one state. */
export interface StateGroup {
  readonly state: StateName;
  readonly instances: readonly string[];
}

/** A breaker that the instances having it do not all see in the same state. */
export interface Disagreement {
  readonly breaker: string;
  /** How many instances have the breaker. */
  readonly instanceCount: number;
  /**
   * One group per state seen, the odd ones out first (fewest instances
   * first) and the largest group last: the state most of the fleet is in.
   */
  readonly groups: readonly StateGroup[];
}

// Groups of the same size are ordered by state, the calmer one last.
const stateRank: Readonly<Record<StateName, number>> = {
  closed: 0,
  'half-open': 1,
  open: 2,
  'forced-open': 3,
  disabled: 4,
};

/**
 * The breakers seen in more than one state across `instances`, by name. An
 * instance without the breaker does not count: only the states of the
 * instances that have it are compared.
 */
export function fleetDisagreements(instances: readonly InstanceReport[]): Disagreement[] {
  const byBreaker = new Map<string, Map<StateName, string[]>>();
  for (const { instance, breakers } of instances) {
    for (const [name, { state }] of Object.entries(breakers)) {
      const states = byBreaker.get(name) ?? new Map<StateName, string[]>();
      byBreaker.set(name, states);
      const group = states.get(state);
      if (group === undefined) states.set(state, [instance]);
      else group.push(instance);
    }
  }
  const disagreements: Disagreement[] = [];
  for (const [breaker, states] of byBreaker) {
    if (states.size < 2) continue;
    const groups = [...states]
      .map(([state, ids]) => ({ state, instances: ids }))
      .sort(
        (a, b) =>
          a.instances.length - b.instances.length || stateRank[b.state] - stateRank[a.state],
      );
    const instanceCount = groups.reduce((sum, group) => sum + group.instances.length, 0);
    disagreements.push({ breaker, instanceCount, groups });
  }
  return disagreements.sort((a, b) => a.breaker.localeCompare(b.breaker, 'en'));
}

/**
 * A disagreement in one line, naming the instances of every group but a
 * last one larger than all the others (the state most of the fleet is in):
 * `market-data: open on 1 of 3 instances (host:41:…), closed on 2`.
 */
export function describeDisagreement({ breaker, instanceCount, groups }: Disagreement): string {
  const largest = groups.at(-1)?.instances.length ?? 0;
  const runnerUp = groups.at(-2)?.instances.length ?? 0;
  const parts = groups.map(({ state, instances }, index) => {
    const count =
      index === 0 ? `${instances.length} of ${instanceCount} instances` : instances.length;
    const isMajority = index === groups.length - 1 && largest > runnerUp;
    return isMajority ? `${state} on ${count}` : `${state} on ${count} (${instances.join(', ')})`;
  });
  return `${breaker}: ${parts.join(', ')}`;
}
