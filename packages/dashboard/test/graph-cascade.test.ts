import { describe, expect, it } from 'vitest';
import {
  type CascadeService,
  cascadeAround,
  cascadeFrom,
  causesOf,
  dependencyEdges,
  edgeId,
} from '../app/graph/cascade';

/**
 * web → api → database (failed); api → cache (healthy); reports → database;
 * jobs → queue (degraded on its own); admin → api.
 */
const fleet: CascadeService[] = [
  { name: 'database', health: 'failed', dependsOn: [], degradedBy: [] },
  { name: 'cache', health: 'healthy', dependsOn: [], degradedBy: [] },
  { name: 'queue', health: 'degraded', dependsOn: [], degradedBy: [] },
  { name: 'api', health: 'degraded', dependsOn: ['database', 'cache'], degradedBy: ['database'] },
  { name: 'reports', health: 'degraded', dependsOn: ['database'], degradedBy: ['database'] },
  { name: 'web', health: 'degraded', dependsOn: ['api'], degradedBy: ['api'] },
  { name: 'admin', health: 'failed', dependsOn: ['api'], degradedBy: ['api'] },
  { name: 'jobs', health: 'degraded', dependsOn: ['queue'], degradedBy: ['queue'] },
];

const sorted = (values: Iterable<string>) => [...values].sort();

describe('dependencyEdges', () => {
  it('marks an edge as a cascade when the dependency is in the dependent’s degradedBy, coloured by its health', () => {
    const edges = new Map(dependencyEdges(fleet).map((edge) => [edge.id, edge.cascade]));
    expect(edges.get(edgeId('api', 'database'))).toBe('failed');
    expect(edges.get(edgeId('api', 'cache'))).toBeUndefined();
    expect(edges.get(edgeId('web', 'api'))).toBe('degraded');
    expect(edges.get(edgeId('jobs', 'queue'))).toBe('degraded');
    expect(edges.size).toBe(6);
  });

  it('leaves out an edge to a service not in the list', () => {
    const edges = dependencyEdges([
      { name: 'api', health: 'healthy', dependsOn: ['gone'], degradedBy: [] },
    ]);
    expect(edges).toEqual([]);
  });

  it('draws every edge plain when nothing is degraded', () => {
    const healthy = fleet.map((service) => ({
      ...service,
      health: 'healthy' as const,
      degradedBy: [],
    }));
    expect(dependencyEdges(healthy).every((edge) => edge.cascade === undefined)).toBe(true);
  });
});

describe('cascadeFrom', () => {
  it('finds everything a failed service degrades, transitively, with the edges on the way', () => {
    const { services, edges } = cascadeFrom(fleet, 'database');
    expect(sorted(services)).toEqual(['admin', 'api', 'database', 'reports', 'web']);
    expect(sorted(edges)).toEqual(
      sorted([
        edgeId('api', 'database'),
        edgeId('reports', 'database'),
        edgeId('web', 'api'),
        edgeId('admin', 'api'),
      ]),
    );
  });

  it('stops where a dependent does not name the service as its cause', () => {
    const { services } = cascadeFrom(fleet, 'cache');
    expect(sorted(services)).toEqual(['cache']);
  });

  it('ignores a degradedBy entry that is not a dependency', () => {
    const odd: CascadeService[] = [
      { name: 'a', health: 'failed', dependsOn: [], degradedBy: [] },
      { name: 'b', health: 'degraded', dependsOn: [], degradedBy: ['a'] },
    ];
    expect(sorted(cascadeFrom(odd, 'a').services)).toEqual(['a']);
  });
});

describe('causesOf', () => {
  it('follows degradedBy down to the root of the trouble', () => {
    const { services, edges } = causesOf(fleet, 'web');
    expect(sorted(services)).toEqual(['api', 'database', 'web']);
    expect(sorted(edges)).toEqual(sorted([edgeId('web', 'api'), edgeId('api', 'database')]));
  });

  it('gives only the service itself when nothing degrades it', () => {
    expect(sorted(causesOf(fleet, 'database').services)).toEqual(['database']);
  });
});

describe('cascadeAround', () => {
  it('joins what a service degrades and what degrades it', () => {
    const { services, edges } = cascadeAround(fleet, 'api');
    expect(sorted(services)).toEqual(['admin', 'api', 'database', 'web']);
    expect(sorted(edges)).toEqual(
      sorted([edgeId('api', 'database'), edgeId('web', 'api'), edgeId('admin', 'api')]),
    );
  });
});
