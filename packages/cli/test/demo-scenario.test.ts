import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../src/demo/run-demo';
import { startDemo, tempStores } from './support/demo-run';
import { lines, transitions } from './support/output';

const newStore = tempStores();

/** Runs the whole default scenario in fake time, on a new store. */
async function runScenario(): Promise<{ output: string; result: DemoResult }> {
  const demo = await startDemo({ storeFile: newStore() });
  await demo.clock.advanceAsync(20_000);
  const result = await demo.running;
  return { output: demo.output(), result };
}

describe('the demo scenario (20 s in fake time)', () => {
  let output = '';
  let result: DemoResult;
  beforeAll(async () => {
    ({ output, result } = await runScenario());
  });

  it('opens market-data on failures in its monitoring window soon after its outage starts at 3 s', () => {
    const [opening] = transitions(output, 'market-data');
    expect(opening).toMatchObject({
      from: 'closed',
      to: 'open',
      reason: 'failure-count-in-window',
    });
    expect(opening?.at).toBeGreaterThanOrEqual(3);
    expect(opening?.at).toBeLessThan(3.5);
  });

  it('reopens market-data on failed half-open trials, each time for longer (1.5 s, 3 s, 6 s)', () => {
    const openings = transitions(output, 'market-data').filter((line) => line.to === 'open');
    expect(openings.map((line) => [line.reason, line.nextTrial])).toEqual([
      ['failure-count-in-window', 1.5],
      ['half-open-failure', 3],
      ['half-open-failure', 6],
    ]);
  });

  it('closes market-data with a successful trial once its outage is over', () => {
    const last = transitions(output, 'market-data').at(-1);
    expect(last).toMatchObject({ from: 'half-open', to: 'closed', reason: 'half-open-success' });
    expect(last?.at).toBeGreaterThan(12);
    expect(result.services.find((status) => status.name === 'market-data')?.state).toBe('closed');
  });

  it("names the downstream services affected when market-data opens, from the registry's graph", () => {
    const [opening] = transitions(output, 'market-data');
    expect(lines(output)[(opening?.line ?? -2) + 1]?.trim()).toBe(
      '↳ affects contest-evaluation, achievement, referral, contest-wallet, wallet-rake',
    );
  });

  it("shows each service's health in the status table, and which dependency degrades it", () => {
    const table = lines(output).slice(lines(output).indexOf('[ 5.0s] status'));
    const row = (service: string) => table.find((line) => line.startsWith(`  ${service} `));
    expect(row('market-data')).toMatch(/\bopen\b.*\bfailed$/);
    expect(row('contest-evaluation')).toMatch(/\bclosed\b.*\bdegraded via market-data$/);
    expect(row('wallet-generator')).toMatch(/\bhealthy$/);
  });

  it('never opens contest-evaluation, though its blip fails several calls', () => {
    expect(transitions(output, 'contest-evaluation')).toEqual([]);
    const status = result.services.find((service) => service.name === 'contest-evaluation');
    expect(status?.state).toBe('closed');
    expect(status?.totalFailures).toBeGreaterThanOrEqual(5);
    expect(status?.transitions).toBe(0);
  });

  it('alerts when vanity-wallet has failed three recovery trials in a row', () => {
    expect(output).toMatch(
      /\[\s*1\d\.\ds\] vanity-wallet\s+⚠ recovery exhausted: 3 failed trials in a row/,
    );
    const openings = transitions(output, 'vanity-wallet').filter((line) => line.to === 'open');
    expect(openings.map((line) => line.nextTrial)).toEqual([2.25, 4.5, 9, 15]);
  });

  it('prints a status table every 5 s and the summary at the end', () => {
    const tables = lines(output).filter((line) => /^\[\s*[\d.]+s\] status$/.test(line));
    expect(tables).toEqual(['[ 5.0s] status', '[10.0s] status', '[15.0s] status']);
    expect(output).toContain('[20.0s] demo over after 20s');
    expect(output).toContain('not closed: vanity-wallet (open, recovery exhausted');
  });

  it('states the time scale in the header', () => {
    expect(lines(output)[1]).toBe(
      "Time runs 20× faster: 1 s here stands for 20 s (token-sync's 45 s reset timeout lasts 2.25s).",
    );
  });

  it('runs the twelve services of examples/degenduel.yaml, with nothing to restore from a new store', () => {
    expect(lines(output)[0]).toBe(
      'Breakwater demo · 12 services from examples/degenduel.yaml, each behind a CircuitBreaker in one Registry',
    );
    expect(result.services.map((status) => status.name)).toHaveLength(12);
    expect(result.restored).toBe(false);
    expect(output).not.toContain('Restored from');
  });

  it('prints plain text unless colour is asked for', () => {
    expect(output).not.toContain('\u001b[');
  });

  it('suggests a longer run for the incident that outlasts this one', () => {
    expect(output).toContain('closes at ~32 s (try --duration 35)');
  });
});

describe('the demo story, repeated every 45 s', () => {
  it('plays its second pass like the first: the same openings, backoffs, alert and recovery, 45 s later', async () => {
    const demo = await startDemo({ storeFile: newStore(), durationMs: 90_000 });
    await demo.clock.advanceAsync(90_000);
    await demo.running;
    const output = demo.output();
    for (const service of ['market-data', 'vanity-wallet']) {
      const all = transitions(output, service);
      const pass = (from: number, to: number) =>
        all
          .filter((line) => line.at >= from && line.at < to)
          .map((line) => ({ ...line, at: Math.round((line.at - from) * 10) / 10, line: 0 }));
      const first = pass(0, 45);
      expect(first.length).toBeGreaterThanOrEqual(4);
      expect(pass(45, 90)).toEqual(first);
    }
    expect(output.match(/vanity-wallet\s+⚠ recovery exhausted/g)).toHaveLength(2);
    expect(output).toContain('Injected faults: the story repeats every 45s (15 min at real scale)');
    // Long enough to see every incident play out: no hint to run longer.
    expect(output).toContain('closes at ~32 s\n');
  });
});
