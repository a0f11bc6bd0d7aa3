import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import type { ServiceSnapshot } from '@breakwater/protocol';
import { toServiceUpdate } from '@breakwater/protocol';
import { createAuthenticator, createHttpApi, signToken } from '@breakwater/server';
import { describe, expect, it } from 'vitest';
import { dependencyEdges, edgeId } from '../app/graph/cascade';
import {
  graphServices,
  type TopologyEntry,
  type TopologyResponse,
  topologyPath,
} from '../app/graph/graph-model';

const env = { BREAKWATER_JWT_SECRET: 'dashboard-graph-test-secret-long-enough' };

/** A registry of web → api → database over the monitor's API, and its live snapshots. */
async function fleet() {
  const registry = new Registry({
    clock: new FakeClock(),
    services: {
      database: { failureThreshold: 1 },
      api: { dependsOn: ['database'], layer: 'backend' },
      web: { dependsOn: ['api'], layer: 'frontend' },
    },
  });
  const app = createHttpApi({
    registry,
    authenticator: createAuthenticator({ algorithm: 'HS256' }, env),
  });
  const token = await signToken({ sub: 'vera', role: 'viewer' }, { algorithm: 'HS256' }, env);
  const topology = async () => {
    const response = await app.request(topologyPath, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as TopologyResponse).breakers;
  };
  const live = () => toServiceUpdate(registry.status(), new Date().toISOString()).services;
  return { registry, topology, live };
}

function snapshot(service: string, status: ServiceSnapshot['status']): ServiceSnapshot {
  return {
    service,
    status,
    circuit: {
      state: status === 'failed' ? 'open' : 'closed',
      failureCount: 0,
      lastFailure: null,
      recoveryAttempts: 0,
      phase: status === 'failed' ? 'open' : 'closed',
      recoveryIn: null,
      degradedBy: [],
    },
    operations: { total: 0, successful: 0, failed: 0, rejected: 0 },
  };
}

describe('graphServices', () => {
  it('joins the fetched dependencies with the live health into cascade edges', async () => {
    const { registry, topology, live } = await fleet();
    const entries = await topology();
    await registry
      .breaker('database')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => {});
    const services = graphServices(entries, live());
    expect(
      services.map(({ name, health, phase, dependsOn, layer }) => ({
        name,
        health,
        phase,
        dependsOn,
        layer,
      })),
    ).toEqual(
      expect.arrayContaining([
        { name: 'database', health: 'failed', phase: 'open', dependsOn: [], layer: null },
        {
          name: 'api',
          health: 'degraded',
          phase: 'closed',
          dependsOn: ['database'],
          layer: 'backend',
        },
        { name: 'web', health: 'degraded', phase: 'closed', dependsOn: ['api'], layer: 'frontend' },
      ]),
    );
    const cascades = dependencyEdges(services).map((edge) => [edge.id, edge.cascade]);
    expect(cascades).toEqual(
      expect.arrayContaining([
        [edgeId('api', 'database'), 'failed'],
        [edgeId('web', 'api'), 'degraded'],
      ]),
    );
  });

  it('keeps the fetched health of a service the stream has not sent yet', async () => {
    const { topology } = await fleet();
    const entries = await topology();
    const services = graphServices(entries, [snapshot('web', 'healthy')]);
    expect(services.map(({ name, health }) => [name, health])).toEqual([
      ['web', 'healthy'],
      ['database', 'unknown'],
      ['api', 'unknown'],
    ]);
  });

  it('draws a live service the topology does not list yet, without edges', () => {
    const entries: TopologyEntry[] = [
      {
        name: 'api',
        state: 'closed',
        health: 'healthy',
        degradedBy: [],
        dependsOn: [],
        layer: null,
      },
    ];
    const services = graphServices(entries, [
      snapshot('api', 'healthy'),
      snapshot('new', 'failed'),
    ]);
    expect(services.find((service) => service.name === 'new')).toEqual({
      name: 'new',
      health: 'failed',
      phase: 'open',
      degradedBy: [],
      dependsOn: [],
      layer: null,
    });
  });
});
