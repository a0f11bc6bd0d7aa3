import { isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { ServiceHistory } from '../../src/index';
import { fail } from '../http/fixture';

const start = Date.UTC(2026, 0, 1);

function fleet(services: Record<string, object> = { quotes: {} }) {
  const clock = new FakeClock(start);
  const registry = new Registry({ clock, services });
  return { clock, registry };
}

describe('ServiceHistory sampling', () => {
  it('samples the whole fleet from one shared timer, never one per breaker', () => {
    const services = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`s${i}`, {}]));
    const { clock, registry } = fleet(services);
    const before = clock.pendingTimers;
    const history = new ServiceHistory({ registry, clock });
    history.start();
    expect(clock.pendingTimers - before).toBe(1);
    clock.advance(5_000);
    clock.advance(5_000);
    expect(clock.pendingTimers - before).toBe(1);
    expect(history.series('s0').map((point) => point.at)).toEqual([
      start,
      start + 5_000,
      start + 10_000,
    ]);
    expect(history.series('s49')).toHaveLength(3);
    history.stop();
    expect(clock.pendingTimers - before).toBe(0);
  });

  it('takes a first point without rates, then derives calls/s and failure rate from the totals', async () => {
    const { clock, registry } = fleet({ quotes: { failureThreshold: 100 } });
    const history = new ServiceHistory({ registry, clock });
    history.start();
    for (let i = 0; i < 40; i++) await registry.breaker('quotes').execute(async () => 'ok');
    for (let i = 0; i < 10; i++) await fail(registry, 'quotes');
    clock.advance(5_000);
    const [first, second] = history.series('quotes');
    expect(first).toEqual({
      at: start,
      callsPerSecond: null,
      rejectedPerSecond: null,
      failureRate: null,
      p95: null,
      state: 'closed',
      health: 'unknown',
    });
    expect(second).toMatchObject({
      at: start + 5_000,
      callsPerSecond: 10, // 50 calls in 5 s
      rejectedPerSecond: 0,
      failureRate: 0.2,
      state: 'closed',
      health: 'degraded',
    });
    clock.advance(5_000); // a quiet interval
    expect(history.series('quotes')[2]).toMatchObject({
      callsPerSecond: 0,
      failureRate: null,
      p95: null,
    });
  });

  it('counts rejections per second and records the state and health of an open circuit', async () => {
    const { clock, registry } = fleet({ quotes: { failureThreshold: 1, resetTimeout: 60_000 } });
    const history = new ServiceHistory({ registry, clock });
    history.start();
    await fail(registry, 'quotes');
    for (let i = 0; i < 20; i++) await fail(registry, 'quotes'); // rejected: the circuit is open
    clock.advance(5_000);
    expect(history.series('quotes')[1]).toMatchObject({
      callsPerSecond: 0.2,
      rejectedPerSecond: 4,
      failureRate: 1,
      state: 'open',
      health: 'failed',
    });
  });

  it("gives the p95 of the interval's timed calls, not of the breaker's lifetime", async () => {
    const { clock, registry } = fleet({ quotes: { latencySampling: 1, failureThreshold: 100 } });
    const history = new ServiceHistory({ registry, clock });
    history.start();
    const quotes = registry.breaker('quotes');
    const call = (ms: number) =>
      quotes.execute(async () => {
        clock.advance(ms);
      });
    for (let i = 0; i < 20; i++) await call(200);
    clock.advance(1_000); // the sample at 5 s
    const slow = history.series('quotes').at(-1)?.p95 ?? 0;
    expect(slow).toBeGreaterThan(180);
    expect(slow).toBeLessThan(230);
    for (let i = 0; i < 100; i++) await call(10);
    clock.advance(4_000); // the sample at 10 s
    const fast = history.series('quotes').at(-1)?.p95 ?? 0;
    expect(fast).toBeGreaterThan(9);
    expect(fast).toBeLessThan(11);
    // Over its lifetime, the breaker's p95 is still that of the slow calls.
    expect(quotes.status().latency.p95).toBeGreaterThan(180);
  });

  it('keeps at most `points` points per service, dropping the oldest', () => {
    const { clock, registry } = fleet();
    const history = new ServiceHistory({ registry, clock });
    history.start();
    for (let i = 0; i < 800; i++) clock.advance(5_000);
    const points = history.series('quotes');
    expect(points).toHaveLength(720);
    expect(points[0]?.at).toBe(start + 81 * 5_000);
    expect(points.at(-1)?.at).toBe(start + 800 * 5_000);
    history.stop();
  });

  it('returns the points taken after `since`, oldest first', () => {
    const { clock, registry } = fleet();
    const history = new ServiceHistory({ registry, clock, points: 4 });
    history.start();
    for (let i = 0; i < 5; i++) clock.advance(5_000);
    expect(history.series('quotes').map((point) => point.at - start)).toEqual([
      10_000, 15_000, 20_000, 25_000,
    ]);
    expect(history.series('quotes', start + 15_000).map((point) => point.at - start)).toEqual([
      20_000, 25_000,
    ]);
    expect(history.series('unknown')).toEqual([]);
  });

  it('forgets a removed service at the next sample, and gives no rates across a re-creation', async () => {
    const { clock, registry } = fleet({});
    const history = new ServiceHistory({ registry, clock });
    registry.breaker('temp');
    history.start();
    await registry.forceOpen('temp');
    for (let i = 0; i < 5; i++) await fail(registry, 'temp');
    clock.advance(5_000);
    registry.remove('temp');
    registry.breaker('temp'); // a new breaker under the name: its totals start from 0
    clock.advance(5_000);
    expect(history.series('temp').at(-1)).toMatchObject({
      rejectedPerSecond: null,
      state: 'closed',
    });
    expect(history.transitions('temp')).toHaveLength(1);
    registry.remove('temp');
    clock.advance(5_000);
    expect(history.series('temp')).toEqual([]);
    expect(history.transitions('temp')).toEqual([]);
  });

  it('stops and starts again, keeping what it has', () => {
    const { clock, registry } = fleet();
    const history = new ServiceHistory({ registry, clock });
    history.start();
    history.start(); // idempotent: still one timer
    expect(clock.pendingTimers).toBe(1);
    history.stop();
    expect(history.running).toBe(false);
    clock.advance(60_000);
    expect(history.series('quotes')).toHaveLength(1);
    history.start();
    expect(history.series('quotes')).toHaveLength(2);
    expect(history.running).toBe(true);
    history.stop();
  });

  it('refuses bad options with a ConfigError naming them', () => {
    const { registry } = fleet();
    for (const [option, value] of [
      ['interval', 0],
      ['points', 1.5],
      ['transitions', 0],
    ] as const) {
      const error = (() => {
        try {
          new ServiceHistory({ registry, [option]: value });
        } catch (caught) {
          return caught;
        }
      })();
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({ option, value });
    }
  });
});

describe('ServiceHistory transitions', () => {
  it('records each transition with from, to, reason and time, newest first', async () => {
    const { clock, registry } = fleet({
      quotes: { failureThreshold: 1, resetTimeout: 1_000, successThreshold: 1 },
    });
    const history = new ServiceHistory({ registry, clock });
    history.start();
    await fail(registry, 'quotes');
    clock.advance(1_000);
    await registry.breaker('quotes').execute(async () => 'ok');
    await registry.forceOpen('quotes');
    expect(history.transitions('quotes')).toEqual([
      { at: start + 1_000, from: 'closed', to: 'forced-open', reason: 'manual' },
      { at: start + 1_000, from: 'half-open', to: 'closed', reason: 'half-open-success' },
      { at: start + 1_000, from: 'open', to: 'half-open', reason: 'reset-timeout-elapsed' },
      { at: start, from: 'closed', to: 'open', reason: 'consecutive-failures' },
    ]);
    expect(history.transitions('quotes', 1)).toHaveLength(1);
  });

  it('keeps at most `transitions` per service', async () => {
    const { registry } = fleet();
    const history = new ServiceHistory({ registry, transitions: 3 });
    history.start();
    for (let i = 0; i < 10; i++) {
      await registry.forceOpen('quotes');
      await registry.release('quotes');
    }
    const kept = history.transitions('quotes', 100);
    expect(kept).toHaveLength(3);
    expect(kept[0]).toMatchObject({ from: 'forced-open', to: 'closed' });
    history.stop();
  });
});
