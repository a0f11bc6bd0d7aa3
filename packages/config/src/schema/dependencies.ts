import { DependencyGraph, isConfigError } from '@breakwater/core';
import type { Issues } from '../issues';
import { withSuggestion } from '../suggest';

interface Edge {
  readonly name: string;
  /** Index in the service's `dependsOn` as written, for the issue's path. */
  readonly index: number;
}

/**
 * Builds core's `DependencyGraph` from every service's `dependsOn`, which
 * rejects unknown names, self-dependencies and cycles one at a time: each
 * rejected edge is recorded and removed, and the graph built again, so every
 * bad edge is listed (a cycle is broken at the edge core names first).
 */
export function checkDependencies(
  dependsOn: ReadonlyMap<string, readonly unknown[]>,
  issues: Issues,
): void {
  const edges = new Map<string, Edge[]>();
  let total = 0;
  for (const [service, names] of dependsOn) {
    const kept: Edge[] = [];
    names.forEach((name, index) => {
      if (typeof name === 'string') kept.push({ name, index });
    });
    edges.set(service, kept);
    total += kept.length;
  }
  const services = [...edges.keys()].sort((a, b) => b.length - a.length);
  for (let round = 0; round <= total; round++) {
    try {
      new DependencyGraph(
        new Map([...edges].map(([service, list]) => [service, list.map((e) => e.name)])),
      );
      return;
    } catch (error) {
      if (!isConfigError(error)) throw error;
      // Core's paths read `services.NAME.dependsOn[I]` (a bad edge) or `services.NAME.dependsOn` (a cycle).
      const service = services.find((name) =>
        error.option.startsWith(`services.${name}.dependsOn`),
      );
      const list = service === undefined ? undefined : edges.get(service);
      if (service === undefined || list === undefined) throw error;
      const index = /\[(\d+)\]$/.exec(error.option);
      if (index !== null) {
        const at = Number(index[1]);
        const edge = list[at];
        if (edge === undefined) throw error;
        const known = [...edges.keys()].filter((name) => name !== service);
        issues.add(
          ['services', service, 'dependsOn', edge.index],
          error.value,
          withSuggestion(error.expected, error.value, known),
        );
        list.splice(at, 1);
      } else {
        issues.add(['services', service, 'dependsOn'], error.value, error.expected);
        const next = String(error.value).split(' → ')[1];
        const at = list.findIndex((edge) => edge.name === next);
        if (at < 0) throw error;
        list.splice(at, 1);
      }
    }
  }
}
