// The exchange aggregator's circuit: the behaviours its standalone test script
// checks — transitions, threshold, recovery timeout, fast-fail while open,
// per-call timeout protection and automatic recovery — on its aggressive
// preset (3 failures, 30 s recovery timeout, 2 successes, no backoff).
import { CircuitBreaker, isCallTimeoutError, isCircuitOpenError, presets } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, outcome, succeed } from '../support/calls';

function exchange(options: { timeout?: number } = {}) {
  const clock = new FakeClock();
  const circuit = new CircuitBreaker('mexc_api', { ...presets.aggressive, clock, ...options });
  return { clock, circuit };
}

describe('exchange aggregator: exchange client circuit', () => {
  it('moves CLOSED → OPEN → HALF_OPEN → CLOSED and logs each transition with its reason', async () => {
    const { clock, circuit } = exchange();
    const log: string[] = [];
    circuit.on('stateChange', (event) =>
      log.push(`Circuit '${event.breaker}': ${event.from} -> ${event.to} (${event.reason})`),
    );
    await callTimes(circuit, 3, fail('exchange 502'));
    clock.advance(30_000);
    await callTimes(circuit, 2, succeed());
    expect(log).toEqual([
      "Circuit 'mexc_api': closed -> open (consecutive-failures)",
      "Circuit 'mexc_api': open -> half-open (reset-timeout-elapsed)",
      "Circuit 'mexc_api': half-open -> closed (half-open-success)",
    ]);
  });

  it('detects the failure threshold', async () => {
    const { circuit } = exchange();
    await callTimes(circuit, 2, fail());
    expect(circuit.status()).toMatchObject({ state: 'closed', failureCount: 2 });
    await callTimes(circuit, 1, fail());
    expect(circuit.state).toBe('open');
  });

  it('reports recoveryIn and waits for the recovery timeout before testing', async () => {
    const { clock, circuit } = exchange();
    await callTimes(circuit, 3, fail());
    clock.advance(12_000);
    expect(circuit.status()).toMatchObject({
      state: 'open',
      recoveryIn: 18_000,
      timeInCurrentState: 12_000,
    });
    clock.advance(18_000);
    await callTimes(circuit, 1, succeed());
    expect(circuit.state).toBe('half-open');
  });

  it('fails fast while open: the balance call is never made', async () => {
    const { circuit } = exchange();
    await callTimes(circuit, 3, fail());
    let balanceCalls = 0;
    const results = await callTimes(circuit, 10, async () => ++balanceCalls);
    expect(balanceCalls).toBe(0);
    expect(results.every(isCircuitOpenError)).toBe(true);
    expect(circuit.status().rejected).toBe(10);
  });

  it('protects against a hanging call with the per-call timeout and counts it as a failure', async () => {
    const { clock, circuit } = exchange({ timeout: 10_000 });
    const hanging = outcome(circuit.execute(() => new Promise(() => {})));
    clock.advance(10_000);
    expect(isCallTimeoutError(await hanging)).toBe(true);
    expect(circuit.status()).toMatchObject({ failureCount: 1, timeouts: 1 });
  });

  it('recovers automatically once the exchange is back', async () => {
    const { clock, circuit } = exchange();
    let exchangeUp = false;
    const getBalances = () =>
      exchangeUp ? Promise.resolve({ BTC: 1 }) : Promise.reject(new Error('down'));
    await callTimes(circuit, 3, getBalances);
    exchangeUp = true;
    clock.advance(30_000);
    await callTimes(circuit, 2, getBalances);
    expect(circuit.state).toBe('closed');
    expect(await circuit.execute(getBalances)).toEqual({ BTC: 1 });
  });

  it('goes straight back to OPEN for the same recovery timeout when a trial fails', async () => {
    const { clock, circuit } = exchange();
    await callTimes(circuit, 3, fail());
    for (let trial = 0; trial < 3; trial++) {
      clock.advance(30_000);
      await callTimes(circuit, 1, fail('still down'));
      expect(circuit.status()).toMatchObject({ state: 'open', recoveryIn: 30_000 });
    }
  });
});
