import { FakeClock } from '@breakwater/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../src/demo/run-demo';
import { lines, transitions } from './support/output';

/** Runs the whole default scenario in fake time. */
async function runScenario(): Promise<{ output: string; result: DemoResult }> {
  const clock = new FakeClock();
  let output = '';
  const running = runDemo({
    clock,
    write: (text) => {
      output += text;
    },
  });
  await clock.advanceAsync(20_000);
  return { output, result: await running };
}

describe('the demo scenario (20 s in fake time)', () => {
  let output = '';
  let result: DemoResult;
  beforeAll(async () => {
    ({ output, result } = await runScenario());
  });

  it('opens market-data on consecutive failures soon after its outage starts at 3 s', () => {
    const [opening] = transitions(output, 'market-data');
    expect(opening).toMatchObject({ from: 'closed', to: 'open', reason: 'consecutive-failures' });
    expect(opening?.at).toBeGreaterThanOrEqual(3);
    expect(opening?.at).toBeLessThan(3.5);
  });

  it('reopens market-data on failed half-open trials, each time for longer (1.5 s, 3 s, 6 s)', () => {
    const openings = transitions(output, 'market-data').filter((line) => line.to === 'open');
    expect(openings.map((line) => [line.reason, line.nextTrial])).toEqual([
      ['consecutive-failures', 1.5],
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

  it('names the downstream services affected when market-data opens', () => {
    const [opening] = transitions(output, 'market-data');
    expect(lines(output)[(opening?.line ?? -2) + 1]?.trim()).toBe(
      '↳ affects contest-evaluation, contest-wallet',
    );
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
      "Time runs 20× faster: 1 s here stands for 20 s (market-data's 30 s reset timeout lasts 1.5s).",
    );
  });

  it('prints plain text unless colour is asked for', () => {
    expect(output).not.toContain('\u001b[');
  });
});
