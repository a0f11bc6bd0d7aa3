import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { createAuthenticator, createHttpApi, ServiceHistory, signToken } from '@breakwater/server';
import { describe, expect, it } from 'vitest';
import { DetailFeed, type FetchJson } from '../app/detail/detail-feed';

const env = { BREAKWATER_JWT_SECRET: 'dashboard-detail-test-secret-long-enough' };
const start = Date.UTC(2026, 0, 1);
const readAudit = { readAudit: true };

/** A monitor's HTTP API in-process over a registry on a fake clock, sampled every 5 s. */
function monitorApi() {
  const clock = new FakeClock(start);
  const registry = new Registry({
    clock,
    services: { payments: { failureThreshold: 2, latencySampling: 1 }, ledger: {} },
  });
  const history = new ServiceHistory({ registry, clock });
  history.start();
  const authenticator = createAuthenticator({ algorithm: 'HS256' }, env);
  const app = createHttpApi({ registry, authenticator, history });
  const request = async (role: 'admin' | 'viewer', path: string, method = 'GET') => {
    const token = await signToken({ sub: `${role}-user`, role }, { algorithm: 'HS256' }, env);
    return app.request(path, { method, headers: { authorization: `Bearer ${token}` } });
  };
  /** What the dashboard's shell gives the detail: a GET that throws the server's message. */
  const fetchJsonAs = (role: 'admin' | 'viewer', paths: string[] = []): FetchJson => {
    return async <T>(path: string): Promise<T> => {
      paths.push(path);
      const response = await request(role, path);
      const body = (await response.json()) as { error?: { message: string } };
      if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      return body as T;
    };
  };
  return { clock, registry, request, fetchJsonAs };
}

describe('DetailFeed', () => {
  it('reads the history and transitions, then asks only for the points after the last', async () => {
    const { clock, registry, fetchJsonAs } = monitorApi();
    for (let i = 0; i < 10; i++) await registry.breaker('payments').execute(async () => 'ok');
    clock.advance(5_000);
    const paths: string[] = [];
    const feed = new DetailFeed('payments', fetchJsonAs('viewer', paths), readAudit);

    const first = await feed.refresh();
    expect(first.loading).toBe(false);
    expect(first.error).toBeUndefined();
    expect(first.interval).toBe(5_000);
    expect(first.points.map((point) => [point.at, point.callsPerSecond])).toEqual([
      [start, null],
      [start + 5_000, 2],
    ]);
    expect(paths).toContain('/api/circuit-breakers/payments/history');

    await registry
      .breaker('payments')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => {});
    await registry
      .breaker('payments')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => {});
    clock.advance(5_000);
    const second = await feed.refresh();
    expect(paths).toContain(`/api/circuit-breakers/payments/history?since=${start + 5_000}`);
    expect(second.points.map((point) => [point.at, point.failureRate, point.state])).toEqual([
      [start, null, 'closed'],
      [start + 5_000, 0, 'closed'],
      [start + 10_000, 1, 'open'],
    ]);
    expect(second.timeline.map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: 'closed', to: 'open', reason: 'consecutive-failures' },
    ]);
  });

  it('names the admin who forced the service open', async () => {
    const { request, fetchJsonAs } = monitorApi();
    expect(
      (await request('admin', '/api/circuit-breakers/payments/force-open', 'POST')).status,
    ).toBe(200);
    const data = await new DetailFeed('payments', fetchJsonAs('admin'), readAudit).refresh();
    expect(
      data.timeline.map(({ from, to, because, actor }) => ({ from, to, because, actor })),
    ).toEqual([
      {
        from: 'closed',
        to: 'forced-open',
        because: 'Operator action',
        actor: 'admin-user (admin)',
      },
    ]);
  });

  it('shows a viewer no actor and asks for the audit log only once', async () => {
    const { request, fetchJsonAs } = monitorApi();
    await request('admin', '/api/circuit-breakers/payments/force-open', 'POST');
    const paths: string[] = [];
    const feed = new DetailFeed('payments', fetchJsonAs('viewer', paths), readAudit);
    const first = await feed.refresh();
    await request('admin', '/api/circuit-breakers/payments/release', 'POST');
    const second = await feed.refresh();
    expect(first.error).toBeUndefined();
    expect(second.timeline.map(({ to, actor }) => ({ to, actor }))).toEqual([
      { to: 'closed', actor: undefined },
      { to: 'forced-open', actor: undefined },
    ]);
    expect(paths.filter((path) => path.startsWith('/api/audit'))).toHaveLength(1);
  });

  it('does not ask for the audit log while no transition is manual, nor again for the same one', async () => {
    const { request, fetchJsonAs } = monitorApi();
    const paths: string[] = [];
    const feed = new DetailFeed('payments', fetchJsonAs('admin', paths), readAudit);
    await feed.refresh();
    expect(paths.some((path) => path.startsWith('/api/audit'))).toBe(false);
    await request('admin', '/api/circuit-breakers/payments/force-open', 'POST');
    await feed.refresh();
    await feed.refresh();
    expect(paths.filter((path) => path.startsWith('/api/audit'))).toHaveLength(1);
  });

  it('never asks for the audit log unless told to read it', async () => {
    const { request, fetchJsonAs } = monitorApi();
    await request('admin', '/api/circuit-breakers/payments/force-open', 'POST');
    const paths: string[] = [];
    const data = await new DetailFeed('payments', fetchJsonAs('admin', paths), {
      readAudit: false,
    }).refresh();
    expect(data.timeline.map(({ to, actor }) => ({ to, actor }))).toEqual([
      { to: 'forced-open', actor: undefined },
    ]);
    expect(paths.some((path) => path.startsWith('/api/audit'))).toBe(false);
  });

  it("reports the server's message for an unknown service", async () => {
    const { fetchJsonAs } = monitorApi();
    const data = await new DetailFeed('nope', fetchJsonAs('viewer'), readAudit).refresh();
    expect(data).toMatchObject({ loading: false, error: "Unknown service 'nope'", points: [] });
  });

  it('keeps the last data when a refresh fails, and clears the error when one succeeds', async () => {
    const { clock, fetchJsonAs } = monitorApi();
    const real = fetchJsonAs('viewer');
    let down = false;
    const feed = new DetailFeed(
      'ledger',
      <T>(path: string) => (down ? Promise.reject(new Error('Failed to fetch')) : real<T>(path)),
      readAudit,
    );
    const before = await feed.refresh();
    down = true;
    clock.advance(5_000);
    const failed = await feed.refresh();
    expect(failed.error).toBe('Failed to fetch');
    expect(failed.points).toBe(before.points);
    down = false;
    const after = await feed.refresh();
    expect(after.error).toBeUndefined();
    expect(after.points).toHaveLength(2);
  });
});
