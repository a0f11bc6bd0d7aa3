import { MemoryStore, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import {
  maxListedClients,
  maxTrackedClients,
  RefusalAudit,
  type RefusalSummary,
} from '../../src/auth/refusal-audit';
import { createMonitor } from '../../src/monitor';

function audit(clock: FakeClock) {
  const written: RefusalSummary[] = [];
  const refusals = new RefusalAudit({
    write: async (summary) => {
      written.push(summary);
    },
    now: () => clock.now(),
  });
  return { refusals, written };
}

describe('RefusalAudit: refused requests in the audit log, in bounded form', () => {
  it('writes one summary per period, when the first refusal after it arrives', async () => {
    const clock = new FakeClock();
    const { refusals, written } = audit(clock);
    for (let i = 0; i < 30; i++) refusals.note('10.0.0.1', 'auth-failures');
    for (let i = 0; i < 5; i++) refusals.note('ada from 10.0.0.2', 'admin-actions');
    clock.advance(59_999);
    refusals.note('10.0.0.3', 'auth-failures');
    expect(written).toEqual([]);

    clock.advance(1);
    refusals.note('10.0.0.1', 'auth-failures'); // the first of the next period
    await Promise.resolve();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      refused: 36,
      clients: 3,
      clientsOverflow: false,
      top: [
        { client: '10.0.0.1', limit: 'auth-failures', refused: 30 },
        { client: 'ada from 10.0.0.2', limit: 'admin-actions', refused: 5 },
        { client: '10.0.0.3', limit: 'auth-failures', refused: 1 },
      ],
    });

    await refusals.flush();
    expect(written).toHaveLength(2);
    expect(written[1]).toMatchObject({ refused: 1, clients: 1 });
    await refusals.flush();
    expect(written).toHaveLength(2); // nothing left to write
  });

  it('stays small whatever the flood: a few clients named, the rest counted, long names cut', async () => {
    const clock = new FakeClock();
    const { refusals, written } = audit(clock);
    for (let i = 0; i < maxTrackedClients + 500; i++) refusals.note(`10.1.${i}`, 'auth-failures');
    refusals.note('x'.repeat(10_000), 'auth-failures');
    await refusals.flush();
    const [summary] = written;
    expect(summary?.refused).toBe(maxTrackedClients + 501);
    expect(summary?.clients).toBe(maxTrackedClients);
    expect(summary?.clientsOverflow).toBe(true);
    expect(summary?.top).toHaveLength(maxListedClients);
    expect(JSON.stringify(summary).length).toBeLessThan(1_000);
  });

  it('reports a summary it could not write instead of throwing', async () => {
    const lines: string[] = [];
    const refusals = new RefusalAudit({
      write: async () => {
        throw new Error('store is down');
      },
      report: (line) => lines.push(line),
    });
    refusals.note('10.0.0.1', 'auth-failures');
    await refusals.flush();
    expect(lines).toEqual(['could not audit 1 refused requests: store is down']);
  });
});

describe('the monitor audits the requests its rate limits refused', () => {
  it('one refuse-access entry naming the client, written at the latest when it stops', async () => {
    const store = new MemoryStore();
    const registry = await Registry.open({ services: { db: {} }, store });
    const monitor = createMonitor({
      registry,
      env: { BREAKWATER_JWT_SECRET: 'a-secret-for-the-refusal-audit-test-0123' },
      authFailuresPerMinute: 2,
      log: () => {},
    });
    const { url } = await monitor.start({ port: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${url}/api/circuit-breakers/health`, {
        headers: { authorization: 'Bearer not-a-token' },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
    await monitor.stop();

    const entries = await registry.audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'refuse-access',
      target: '*',
      actor: { id: 'monitor', role: 'system' },
      outcome: 'refused',
      after: {
        refused: 4,
        clients: 1,
        top: [{ client: '127.0.0.1', limit: 'auth-failures', refused: 4 }],
      },
    });
    expect(JSON.stringify(entries)).not.toContain('not-a-token');
    await registry.close();
  });
});
