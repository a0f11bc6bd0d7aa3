import { isCircuitOpenError } from '@breakwater/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Alert, createAlerter, retryDelay } from '../../src/alerts/index';
import { alertRegistry, logSink, startReceiver } from './alert-fixture';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(answer?: (index: number) => number | undefined) {
  const started = await startReceiver(answer);
  cleanups.push(() => started.close());
  return started;
}

const start = Date.UTC(2026, 0, 1);

describe('alert kinds', () => {
  it('circuit-open: POSTs the alert JSON with the configured headers, and logs one line', async () => {
    const hook = await receiver();
    const sink = logSink();
    const { registry, clock, trip } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { log: true, webhooks: [{ url: hook.url, headers: { 'x-team': 'payments' } }] },
    });
    clock.advance(500);
    await trip();
    await hook.received(1);
    await alerter.stop();

    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-team']).toBe('payments');
    expect(request?.body).toEqual({
      kind: 'circuit-open',
      service: 'database',
      at: new Date(start + 500).toISOString(),
      message: expect.stringContaining('database opened (consecutive-failures)'),
      details: {
        from: 'closed',
        to: 'open',
        reason: 'consecutive-failures',
        recoveryAttempts: 0,
        affected: ['market-data', 'checkout'],
      },
    });
    expect(sink.lines).toEqual([
      expect.stringMatching(/^alert circuit-open database: .*affects market-data, checkout/),
    ]);
  });

  it('recovery-failed: half-open → open, with the recovery attempt count', async () => {
    const hook = await receiver();
    const { registry, clock, trip, failRecovery } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: () => undefined,
      alerts: { webhooks: [{ url: hook.url, events: ['recovery-failed'] }] },
    });
    await trip();
    await failRecovery();
    await hook.received(1);
    await alerter.stop();

    expect(hook.requests.map((request) => request.body)).toEqual([
      {
        kind: 'recovery-failed',
        service: 'database',
        at: new Date(start + 1_000).toISOString(),
        message: expect.stringContaining('failed recovery attempt 1'),
        details: {
          from: 'half-open',
          to: 'open',
          reason: 'half-open-failure',
          recoveryAttempts: 1,
          affected: ['market-data', 'checkout'],
        },
      },
    ]);
  });

  it('recovery-exhausted: raised from the registry event once maxRecoveryAttempts recoveries failed', async () => {
    const hook = await receiver();
    const sink = logSink();
    const { registry, clock, trip, failRecovery } = alertRegistry(2);
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { webhooks: [{ url: hook.url }] },
    });
    await trip();
    await failRecovery();
    expect(sink.count(/recovery-exhausted/)).toBe(0);
    await failRecovery();
    await hook.received(4);
    await alerter.stop();

    const kinds = hook.requests.map((request) => (request.body as Alert).kind);
    expect(kinds).toEqual([
      'circuit-open',
      'recovery-failed',
      'recovery-failed',
      'recovery-exhausted',
    ]);
    expect(hook.requests[3]?.body).toEqual({
      kind: 'recovery-exhausted',
      service: 'database',
      at: new Date(start + 2_000).toISOString(),
      message: expect.stringContaining('failed 2 recoveries in a row'),
      details: {
        from: 'half-open',
        to: 'open',
        reason: 'half-open-failure',
        recoveryAttempts: 2,
        failedRecoveries: 2,
        nextResetTimeout: 1_000,
        affected: ['market-data', 'checkout'],
      },
    });
  });

  it('does not log alerts when alerts.log is false', async () => {
    const sink = logSink();
    const { registry, clock, trip } = alertRegistry();
    const alerter = createAlerter({ registry, clock, log: sink.log, alerts: { log: false } });
    await trip();
    await alerter.stop();
    expect(sink.lines).toEqual([]);
  });
});

describe('open-too-long', () => {
  it('fires once per outage after openLongerThan, through half-open cycles, from one timer', async () => {
    const hook = await receiver();
    const sink = logSink();
    const { registry, clock, trip, failRecovery, recover } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { openLongerThan: 10_000, webhooks: [{ url: hook.url, events: ['open-too-long'] }] },
    });
    expect(clock.pendingTimers).toBe(0);
    await trip();
    expect(clock.pendingTimers).toBe(1);
    for (let cycle = 0; cycle < 5; cycle++) await failRecovery();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(4_999);
    expect(sink.count(/^alert open-too-long/)).toBe(0);
    clock.advance(1);
    expect(sink.count(/^alert open-too-long/)).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    await hook.received(1);
    await alerter.flush();
    for (let cycle = 0; cycle < 20; cycle++) await failRecovery();
    clock.advance(60_000);
    expect(sink.count(/^alert open-too-long/)).toBe(1);

    await hook.received(1);
    expect(hook.requests[0]?.body).toEqual({
      kind: 'open-too-long',
      service: 'database',
      at: new Date(start + 10_000).toISOString(),
      message: expect.stringContaining('out of service for 10 s'),
      details: {
        from: 'half-open',
        to: 'open',
        reason: 'half-open-failure',
        recoveryAttempts: 5,
        openFor: 10_000,
        affected: ['market-data', 'checkout'],
      },
    });

    // A new outage after the circuit closed is timed afresh.
    await recover();
    await trip();
    clock.advance(10_000);
    expect(sink.count(/^alert open-too-long/)).toBe(2);
    await alerter.stop();
  });

  it('does not fire when the circuit closes before the threshold, and drops its timer', async () => {
    const sink = logSink();
    const { registry, clock, trip, failRecovery, recover } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { openLongerThan: 10_000 },
    });
    await trip();
    await failRecovery();
    await recover();
    expect(registry.get('database')?.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(sink.count(/^alert open-too-long/)).toBe(0);
    await alerter.stop();
  });

  it('counts forced-open as out of service, defaults to 5 minutes, and times circuits already open', async () => {
    const sink = logSink();
    const { registry, clock } = alertRegistry();
    await registry.forceOpen('market-data');
    clock.advance(60_000);
    const alerter = createAlerter({ registry, clock, log: sink.log, alerts: {} });
    clock.advance(239_999);
    expect(sink.count(/^alert open-too-long/)).toBe(0);
    clock.advance(1);
    expect(sink.lines).toEqual([
      expect.stringMatching(
        /^alert open-too-long market-data: .*300 s \(forced-open\); affects checkout/,
      ),
    ]);

    await registry.forceOpen('checkout');
    await registry.release('checkout');
    clock.advance(300_000);
    expect(sink.count(/open-too-long checkout/)).toBe(0);
    await alerter.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('stop() unsubscribes and clears every timer', async () => {
    const sink = logSink();
    const { registry, clock, trip, recover } = alertRegistry();
    const alerter = createAlerter({ registry, clock, log: sink.log, alerts: {} });
    await trip();
    expect(clock.pendingTimers).toBe(1);
    await alerter.stop();
    expect(clock.pendingTimers).toBe(0);
    await recover();
    await trip();
    clock.advance(600_000);
    expect(sink.lines).toHaveLength(1);
  });
});

describe('webhooks', () => {
  it('sends each webhook only the kinds in its events', async () => {
    const everything = await receiver();
    const onlyLong = await receiver();
    const { registry, clock, trip } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: () => undefined,
      alerts: {
        openLongerThan: 5_000,
        webhooks: [{ url: everything.url }, { url: onlyLong.url, events: ['open-too-long'] }],
      },
    });
    await trip();
    await everything.received(1);
    await alerter.flush();
    clock.advance(5_000);
    await everything.received(2);
    await onlyLong.received(1);
    await alerter.stop();
    expect(everything.requests.map((request) => (request.body as Alert).kind)).toEqual([
      'circuit-open',
      'open-too-long',
    ]);
    expect(onlyLong.requests.map((request) => (request.body as Alert).kind)).toEqual([
      'open-too-long',
    ]);
  });

  it('retries with exponential backoff on the clock: 500, 500, then 200 is 3 attempts', async () => {
    const hook = await receiver((index) => (index < 2 ? 500 : 200));
    const sink = logSink();
    const { registry, clock, trip } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { log: false, webhooks: [{ url: hook.url, retries: 3 }] },
    });
    await trip();
    await hook.received(1);
    await sink.logged(/attempt 1 of 4 .* failed: HTTP 500; retrying in 1000 ms/);
    clock.advance(retryDelay(0) - 1);
    expect(hook.requests).toHaveLength(1);
    clock.advance(1);
    await hook.received(2);
    await sink.logged(/attempt 2 of 4 .* failed: HTTP 500; retrying in 2000 ms/);
    clock.advance(retryDelay(1));
    await hook.received(3);
    await alerter.stop();

    expect(hook.requests).toHaveLength(3);
    expect(new Set(hook.requests.map((request) => JSON.stringify(request.body))).size).toBe(1);
    expect(sink.lines).toHaveLength(2);
    // Log lines name the webhook by origin only: its path may be a secret.
    expect(sink.lines.join('\n')).not.toContain('secret-path');
  });

  it('times out an attempt that gets no answer (on the clock), retries, then gives up', async () => {
    const hook = await receiver(() => undefined);
    const sink = logSink();
    const { registry, clock, trip } = alertRegistry();
    const alerter = createAlerter({
      registry,
      clock,
      log: sink.log,
      alerts: { log: false, webhooks: [{ url: hook.url, timeout: 2_000, retries: 1 }] },
    });
    await trip();
    await hook.received(1);
    clock.advance(1_999);
    expect(sink.lines).toEqual([]);
    clock.advance(1);
    await sink.logged(/attempt 1 of 2 .* failed: no answer within 2000 ms; retrying in 1000 ms/);
    clock.advance(retryDelay(0));
    await hook.received(2);
    clock.advance(2_000);
    await sink.logged(/gave up on circuit-open of database after attempt 2 of 2 failed: no answer/);
    await alerter.stop();
    expect(hook.requests).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never makes a breaker call fail or wait, whatever the webhook, fetch or log does', async () => {
    const { registry, clock, database } = alertRegistry();
    const registryErrors: unknown[] = [];
    registry.on('error', (event) => registryErrors.push(event));
    const fetch = vi.fn((url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (String(url).includes('throws')) throw new Error('fetch exploded');
      // Hangs until the attempt's timeout aborts it.
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    });
    const failures: string[] = [];
    const alerter = createAlerter({
      registry,
      clock,
      fetch: fetch as typeof globalThis.fetch,
      log: (line) => {
        failures.push(line);
        throw new Error('log sink exploded');
      },
      alerts: {
        webhooks: [
          { url: 'http://throws.invalid/hook', retries: 0 },
          { url: 'http://hangs.invalid/hook', retries: 0, timeout: 1_000 },
        ],
      },
    });

    // Listeners run on the breaker's stack, in order: by the time this one runs, the
    // alerter's has queued the alert, and no delivery may have started yet.
    const fetchCallsDuringTransition: number[] = [];
    registry.on('stateChange', () => fetchCallsDuringTransition.push(fetch.mock.calls.length));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(
        database.execute(async () => {
          throw new Error('database down');
        }),
      ).rejects.toThrow('database down');
    }
    expect(fetchCallsDuringTransition).toEqual([0]);
    const rejected = await database.execute(async () => 'never').catch((error: unknown) => error);
    expect(isCircuitOpenError(rejected)).toBe(true);

    clock.advance(1_000);
    await alerter.stop();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(failures).toEqual([
      expect.stringMatching(/^alert circuit-open database/),
      expect.stringMatching(/webhook 1 \(http:\/\/throws.invalid\): gave up .*fetch exploded/),
      expect.stringMatching(
        /webhook 2 \(http:\/\/hangs.invalid\): gave up .*no answer within 1000/,
      ),
    ]);
    expect(registryErrors).toEqual([]);
  });
});
