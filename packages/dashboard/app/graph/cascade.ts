import type { ServiceStatusName } from '@breakwater/protocol';

/** What the cascade needs to know of a service. */
export interface CascadeService {
  readonly name: string;
  readonly health: ServiceStatusName;
  /** Its direct dependencies, as configured. */
  readonly dependsOn: readonly string[];
  /** The direct dependencies that are failed or degraded (why it may be degraded). */
  readonly degradedBy: readonly string[];
}

/** A line from a service to one of its direct dependencies. */
export interface DependencyEdge {
  readonly id: string;
  readonly dependent: string;
  readonly dependency: string;
  /**
   * Set when the dependent is degraded because of this dependency (it is in
   * the dependent's `degradedBy`): the dependency's health, which gives the
   * colour. Undefined for a dependency that harms nobody.
   */
  readonly cascade: 'failed' | 'degraded' | undefined;
}

/** The services and edges a highlight covers. */
export interface Highlight {
  readonly services: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

export function edgeId(dependent: string, dependency: string): string {
  return `${dependent}->${dependency}`;
}

/**
 * Every dependency edge between the given services (one to a service not in
 * the list is left out), each marked as a cascade when its dependent names
 * the dependency in `degradedBy`.
 */
export function dependencyEdges(services: readonly CascadeService[]): DependencyEdge[] {
  const health = new Map(services.map((service) => [service.name, service.health]));
  return services.flatMap((service) =>
    service.dependsOn
      .filter((dependency) => health.has(dependency))
      .map((dependency) => ({
        id: edgeId(service.name, dependency),
        dependent: service.name,
        dependency,
        cascade: service.degradedBy.includes(dependency)
          ? health.get(dependency) === 'failed'
            ? 'failed'
            : 'degraded'
          : undefined,
      })),
  );
}

/**
 * Everything `root` degrades, transitively: each service that names it in
 * `degradedBy`, then each that names one of those, and the edges on the
 * way. `root` itself is included.
 */
export function cascadeFrom(services: readonly CascadeService[], root: string): Highlight {
  const degradedBy = new Map<string, string[]>();
  for (const service of services) {
    for (const dependency of causesNamedBy(service)) {
      degradedBy.set(dependency, [...(degradedBy.get(dependency) ?? []), service.name]);
    }
  }
  return walk(
    root,
    (name) => degradedBy.get(name) ?? [],
    (from, to) => edgeId(to, from),
  );
}

/**
 * What `service` is degraded by, transitively: its `degradedBy`, theirs in
 * turn, down to the services at the root of the trouble, and the edges on
 * the way. `service` itself is included.
 */
export function causesOf(services: readonly CascadeService[], service: string): Highlight {
  const byName = new Map(services.map((entry) => [entry.name, entry]));
  return walk(
    service,
    (name) => {
      const entry = byName.get(name);
      return entry === undefined ? [] : causesNamedBy(entry).filter((cause) => byName.has(cause));
    },
    (from, to) => edgeId(from, to),
  );
}

/** What a hovered or selected service lights up: whom it degrades and what degrades it. */
export function cascadeAround(services: readonly CascadeService[], name: string): Highlight {
  const downstream = cascadeFrom(services, name);
  const upstream = causesOf(services, name);
  return {
    services: new Set([...downstream.services, ...upstream.services]),
    edges: new Set([...downstream.edges, ...upstream.edges]),
  };
}

/** The dependencies a service names as degrading it that it really depends on. */
function causesNamedBy(service: CascadeService): string[] {
  return service.degradedBy.filter((dependency) => service.dependsOn.includes(dependency));
}

/** Breadth-first from `start` along `next`, collecting the services reached and the edges taken. */
function walk(
  start: string,
  next: (name: string) => readonly string[],
  edgeOf: (from: string, to: string) => string,
): Highlight {
  const services = new Set([start]);
  const edges = new Set<string>();
  const queue = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const reached of next(current)) {
      edges.add(edgeOf(current, reached));
      if (services.has(reached)) continue;
      services.add(reached);
      queue.push(reached);
    }
  }
  return { services, edges };
}
