import { ConfigError } from '../errors/config-error';

/**
 * Which service depends on which (as the DegenDuel fleet's services do). Built once from every
 * service's `dependsOn`; unknown names and cycles are rejected with an error
 * naming them, so a graph that exists is a DAG.
 */
export class DependencyGraph {
  readonly #dependencies: ReadonlyMap<string, readonly string[]>;
  readonly #dependents: ReadonlyMap<string, readonly string[]>;

  constructor(dependsOn: ReadonlyMap<string, readonly string[]>) {
    const dependents = new Map<string, string[]>();
    for (const [service, dependencies] of dependsOn) {
      dependencies.forEach((dependency, index) => {
        if (!dependsOn.has(dependency)) {
          throw new ConfigError(
            `services.${service}.dependsOn[${index}]`,
            dependency,
            'the name of a configured service',
          );
        }
        if (dependency === service) {
          throw new ConfigError(
            `services.${service}.dependsOn[${index}]`,
            dependency,
            'another service (a service cannot depend on itself)',
          );
        }
        dependents.set(dependency, [...(dependents.get(dependency) ?? []), service]);
      });
    }
    this.#dependencies = dependsOn;
    this.#dependents = dependents;
    const cycle = findCycle(dependsOn);
    if (cycle !== undefined) {
      throw new ConfigError(
        `services.${cycle[0]}.dependsOn`,
        cycle.join(' → '),
        'no dependency cycle',
      );
    }
  }

  /** Services `service` depends on directly. */
  dependenciesOf(service: string): readonly string[] {
    return this.#dependencies.get(service) ?? [];
  }

  /** Services that depend on `service` directly. */
  dependentsOf(service: string): readonly string[] {
    return this.#dependents.get(service) ?? [];
  }

  /** Everything downstream of `service` — who is affected if it fails — nearest first. */
  affectedBy(service: string): string[] {
    const seen = new Set<string>();
    const queue = [...this.dependentsOf(service)];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.dependentsOf(next));
    }
    return [...seen];
  }

  /** Services in an order where every dependency comes before its dependents. */
  topologicalOrder(): string[] {
    const order: string[] = [];
    const done = new Set<string>();
    const visit = (service: string): void => {
      if (done.has(service)) return;
      done.add(service);
      for (const dependency of this.dependenciesOf(service)) visit(dependency);
      order.push(service);
    };
    for (const service of this.#dependencies.keys()) visit(service);
    return order;
  }
}

/** A cycle as a path that starts and ends at the same service, or undefined. */
function findCycle(dependsOn: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const finished = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (service: string): string[] | undefined => {
    if (onPath.has(service)) return [...path.slice(path.indexOf(service)), service];
    if (finished.has(service)) return undefined;
    onPath.add(service);
    path.push(service);
    for (const dependency of dependsOn.get(service) ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(service);
    finished.add(service);
    return undefined;
  };
  for (const service of dependsOn.keys()) {
    const cycle = visit(service);
    if (cycle) return cycle;
  }
  return undefined;
}
