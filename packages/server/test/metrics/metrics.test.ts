import { type CircuitBreaker, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/index';
import { fixture } from '../http/fixture';

describe('GET /metrics (public)', () => {
  it('serves the five metrics with their labels, collected at scrape time', async () => {
    const { app, registry, clock } = fixture();
    const database = registry.breaker('database');
    await database.execute(async () => {
      clock.advance(40);
      return 'ok';
    });
    for (let index = 0; index < 2; index++)
      await database
        .execute(async () => {
          throw new Error('down');
        })
        .catch(() => undefined);
    await database.execute(async () => 'never').catch(() => undefined);

    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('breakwater_circuit_state{service="database",state="open"} 1');
    expect(text).toContain('breakwater_circuit_state{service="database",state="closed"} 0');
    expect(text).toContain('breakwater_circuit_state{service="payments",state="closed"} 1');
    expect(text).toContain('breakwater_calls_total{service="database",outcome="success"} 1');
    expect(text).toContain('breakwater_calls_total{service="database",outcome="failure"} 2');
    expect(text).toContain('breakwater_calls_total{service="database",outcome="rejected"} 1');
    expect(text).toContain('breakwater_calls_total{service="database",outcome="timeout"} 0');
    expect(text).toContain(
      'breakwater_transitions_total{service="database",from="closed",to="open"} 1',
    );
    expect(text).toContain('breakwater_recovery_attempts{service="database"} 0');
    expect(text).toContain('# TYPE breakwater_call_duration_seconds histogram');
    expect(text).toContain(
      'breakwater_call_duration_seconds_bucket{service="database",le="0.05"} 3',
    );
    expect(text).toContain(
      'breakwater_call_duration_seconds_bucket{service="database",le="0.025"} 2',
    );
    expect(text).toContain(
      'breakwater_call_duration_seconds_bucket{service="database",le="+Inf"} 3',
    );
    expect(text).toContain('breakwater_call_duration_seconds_count{service="database"} 3');
    expect(text).toContain('breakwater_call_duration_seconds_sum{service="database"} 0.04');
  });

  it('counts recovery attempts once the open period has passed', async () => {
    const { registry, clock } = fixture();
    const metrics = createMetrics(registry);
    const database = registry.breaker('database');
    for (let index = 0; index < 2; index++)
      await database
        .execute(async () => {
          throw new Error('down');
        })
        .catch(() => undefined);
    clock.advance(database.options.resetTimeout);
    await database.execute(async () => 'ok');
    const text = await metrics.text();
    expect(text).toContain('breakwater_recovery_attempts{service="database"} 1');
    expect(text).toContain(
      'breakwater_transitions_total{service="database",from="open",to="half-open"} 1',
    );
    metrics.close();
  });

  it('keeps each monitor in its own prom-client registry', async () => {
    const first = fixture();
    const second = fixture();
    const a = createMetrics(first.registry);
    const b = createMetrics(second.registry);
    expect(a.prometheus).not.toBe(b.prometheus);
    await first.registry.forceOpen('payments');
    expect(await b.text()).toContain(
      'breakwater_circuit_state{service="payments",state="closed"} 1',
    );
    a.close();
    b.close();
  });
});

/** The value of one sample in exposition text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function quotesRegistry() {
  const clock = new FakeClock();
  const registry = new Registry({
    clock,
    services: {
      quotes: {
        failureThreshold: 1_000,
        resetTimeout: 1_000,
        successThreshold: 1,
        slowCallDuration: 100,
        latencySampling: 1,
      },
    },
  });
  return { clock, registry, quotes: registry.breaker('quotes') };
}

class NamedError extends Error {
  constructor(name: string) {
    super(`failed with ${name}`);
    this.name = name;
  }
}

async function failWith(breaker: CircuitBreaker, error: unknown): Promise<void> {
  await breaker.execute(async () => Promise.reject(error)).catch(() => undefined);
}

describe('a scrape', () => {
  it("reads the fleet's status once, whatever the number of metrics", async () => {
    const { registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    const status = registry.status.bind(registry);
    let reads = 0;
    registry.status = () => {
      reads++;
      return status();
    };
    await metrics.text();
    expect(reads).toBe(1);
    await metrics.text();
    expect(reads).toBe(2);
    metrics.close();
  });
});

describe('rate gauges', () => {
  it('export the failure and slow-call rates of the sliding window, as fractions', async () => {
    const { clock, quotes, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    await quotes.execute(async () => {
      clock.advance(250); // slow
      return 'ok';
    });
    await quotes.execute(async () => 'ok');
    await failWith(quotes, new Error('down'));
    await quotes.execute(async () => 'ok');
    const text = await metrics.text();
    expect(text).toContain('# TYPE breakwater_failure_rate gauge');
    expect(sample(text, 'breakwater_failure_rate{service="quotes"}')).toBe(0.25);
    expect(sample(text, 'breakwater_slow_call_rate{service="quotes"}')).toBe(0.25);
    expect(quotes.status()).toMatchObject({ failureRate: 0.25, slowCallRate: 0.25 });
    metrics.close();
  });

  it('leave out the recovery success rate until a recovery has finished', async () => {
    const { clock, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    const before = await metrics.text();
    expect(before).toContain('# TYPE breakwater_recovery_success_rate gauge');
    expect(sample(before, 'breakwater_recovery_success_rate{service="quotes"}')).toBeUndefined();
    await registry.configure('quotes', { failureThreshold: 1 });
    const quotes = registry.breaker('quotes');
    await failWith(quotes, new Error('down'));
    clock.advance(1_000);
    await failWith(quotes, new Error('still down')); // a failed recovery
    clock.advance(2_000);
    await quotes.execute(async () => 'ok'); // a successful one
    expect(quotes.status().recoverySuccessRate).toBe(0.5);
    const after = await metrics.text();
    expect(sample(after, 'breakwater_recovery_success_rate{service="quotes"}')).toBe(0.5);
    metrics.close();
  });
});

describe('breakwater_recovery_exhausted_total', () => {
  it('counts each time a circuit fails maxRecoveryAttempts recoveries in a row', async () => {
    const { clock, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    const series = 'breakwater_recovery_exhausted_total{service="quotes"}';
    const before = await metrics.text();
    expect(before).toContain('# TYPE breakwater_recovery_exhausted_total counter');
    expect(sample(before, series)).toBe(0); // at 0 before the first: increase() sees that one
    await registry.configure('quotes', {
      failureThreshold: 1,
      maxRecoveryAttempts: 2,
      backoffMultiplier: 1,
    });
    const quotes = registry.breaker('quotes');
    await failWith(quotes, new Error('down'));
    clock.advance(1_000);
    await failWith(quotes, new Error('still down')); // first failed recovery
    expect(sample(await metrics.text(), series)).toBe(0);
    clock.advance(1_000);
    await failWith(quotes, new Error('still down')); // second in a row: exhausted
    expect(sample(await metrics.text(), series)).toBe(1);
    clock.advance(1_000);
    await failWith(quotes, new Error('still down')); // probing goes on, not exhausted again
    expect(sample(await metrics.text(), series)).toBe(1);
    metrics.close();
  });
});

describe('breakwater_transitions_total', () => {
  it("shows a breaker's own transitions at 0 from the first scrape, so increase() sees the first", async () => {
    const { clock, quotes, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    const series = (from: string, to: string) =>
      `breakwater_transitions_total{service="quotes",from="${from}",to="${to}"}`;
    const before = await metrics.text();
    for (const [from, to] of [
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['half-open', 'closed'],
    ] as const)
      expect(sample(before, series(from, to))).toBe(0);
    expect(sample(before, series('closed', 'forced-open'))).toBeUndefined();
    await registry.configure('quotes', { failureThreshold: 1 });
    await failWith(quotes, new Error('down'));
    clock.advance(1_000);
    await quotes.execute(async () => 'ok');
    await registry.forceOpen('quotes');
    const after = await metrics.text();
    expect(sample(after, series('closed', 'open'))).toBe(1);
    expect(sample(after, series('open', 'half-open'))).toBe(1);
    expect(sample(after, series('half-open', 'closed'))).toBe(1);
    expect(sample(after, series('half-open', 'open'))).toBe(0);
    expect(sample(after, series('closed', 'forced-open'))).toBe(1);
    metrics.close();
  });
});

describe('breakwater_failures_by_error_total', () => {
  const series = (error: string) =>
    `breakwater_failures_by_error_total{service="quotes",error="${error}"}`;

  it('counts failures by error name, and by code for thrown objects with one', async () => {
    const { quotes, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    await failWith(quotes, new TypeError('bad'));
    await failWith(quotes, new TypeError('worse'));
    await failWith(quotes, { code: 'ECONNRESET' });
    const text = await metrics.text();
    expect(text).toContain('# TYPE breakwater_failures_by_error_total counter');
    expect(sample(text, series('TypeError'))).toBe(2);
    expect(sample(text, series('ECONNRESET'))).toBe(1);
    expect(sample(text, series('other'))).toBeUndefined();
    metrics.close();
  });

  it('gives at most 20 error names their own label, counts the rest as other, and stays monotonic', async () => {
    const { quotes, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    for (let index = 0; index < 25; index++) await failWith(quotes, new NamedError(`E${index}`));
    const first = await metrics.text();
    const labels = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('breakwater_failures_by_error_total{'))
        .map((line) => /error="([^"]*)"/.exec(line)?.[1]);
    expect(labels(first)).toHaveLength(21);
    expect(sample(first, series('E0'))).toBe(1);
    expect(sample(first, series('E19'))).toBe(1);
    expect(sample(first, series('E20'))).toBeUndefined();
    expect(sample(first, series('other'))).toBe(5);

    // Later failures: an admitted name, a name past the limit, a brand new one.
    await failWith(quotes, new NamedError('E3'));
    await failWith(quotes, new NamedError('E22'));
    await failWith(quotes, new NamedError('Fresh'));
    const second = await metrics.text();
    expect(labels(second)).toEqual(labels(first));
    expect(sample(second, series('E3'))).toBe(2);
    expect(sample(second, series('other'))).toBe(7);
    for (const label of labels(first)) {
      const name = series(label ?? '');
      expect(sample(second, name)).toBeGreaterThanOrEqual(sample(first, name) ?? 0);
    }
    metrics.close();
  });

  it('keeps a label admitted at an earlier scrape when the limit fills up later', async () => {
    const { quotes, registry } = quotesRegistry();
    const metrics = createMetrics(registry);
    await failWith(quotes, new NamedError('Early'));
    expect(sample(await metrics.text(), series('Early'))).toBe(1);
    for (let index = 0; index < 30; index++) await failWith(quotes, new NamedError(`E${index}`));
    await failWith(quotes, new NamedError('Early'));
    const text = await metrics.text();
    expect(sample(text, series('Early'))).toBe(2);
    expect(sample(text, series('E18'))).toBe(1);
    expect(sample(text, series('E19'))).toBeUndefined();
    expect(sample(text, series('other'))).toBe(11);
    metrics.close();
  });
});
