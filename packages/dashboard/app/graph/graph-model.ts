import type { CircuitPhase, ServiceSnapshot, ServiceStatusName } from '@breakwater/protocol';
import type { CascadeService } from './cascade';

/** One breaker of `GET /api/circuit-breakers/health` (the fields the graph reads). */
export interface TopologyEntry {
  readonly name: string;
  readonly state: CircuitPhase;
  readonly health: ServiceStatusName;
  readonly degradedBy: readonly string[];
  readonly dependsOn: readonly string[];
  readonly layer: string | null;
}

/** The body of `GET /api/circuit-breakers/health` (viewer). */
export interface TopologyResponse {
  readonly timestamp: string;
  readonly breakers: readonly TopologyEntry[];
}

export const topologyPath = '/api/circuit-breakers/health';

/** A service as the graph draws it. */
export interface GraphService extends CascadeService {
  readonly layer: string | null;
  /** The breaker's state; undefined when neither source has it. */
  readonly phase: CircuitPhase | undefined;
}

/**
 * The graph's services: the live snapshots (health, state, degradedBy as
 * they change) over the fetched topology (dependsOn and layer, which only a
 * restart changes). A live service the topology does not list yet has no
 * edges until the next fetch; a listed service without a snapshot keeps
 * the fetched health. Live order first, then the rest.
 */
export function graphServices(
  topology: readonly TopologyEntry[],
  live: readonly ServiceSnapshot[],
): GraphService[] {
  const fetched = new Map(topology.map((entry) => [entry.name, entry]));
  const fromLive = live.map((snapshot): GraphService => {
    const entry = fetched.get(snapshot.service);
    return {
      name: snapshot.service,
      health: snapshot.status,
      phase: snapshot.circuit.phase,
      degradedBy: snapshot.circuit.degradedBy,
      dependsOn: entry?.dependsOn ?? [],
      layer: entry?.layer ?? null,
    };
  });
  const seen = new Set(live.map((snapshot) => snapshot.service));
  const fetchedOnly = topology
    .filter((entry) => !seen.has(entry.name))
    .map(
      (entry): GraphService => ({
        name: entry.name,
        health: entry.health,
        phase: entry.state,
        degradedBy: entry.degradedBy,
        dependsOn: entry.dependsOn,
        layer: entry.layer,
      }),
    );
  return [...fromLive, ...fetchedOnly];
}
