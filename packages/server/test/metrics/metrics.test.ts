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
