import { isConfigError } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo';
import { startDemo, tempStores } from './support/demo-run';

const newStore = tempStores();

function start(options: { durationMs?: number; signal?: AbortSignal; color?: boolean } = {}) {
  return startDemo({ ...options, storeFile: newStore() });
}

describe('runDemo', () => {
  it('ends after the given duration with a summary, leaving no timer behind', async () => {
    const demo = await start({ durationMs: 5_000 });
    await demo.clock.advanceAsync(4_900);
    expect(demo.ended()).toBe(false);
    await demo.clock.advanceAsync(100);
    expect(demo.ended()).toBe(true);
    expect(await demo.running).toMatchObject({ elapsedMs: 5_000, interrupted: false });
    expect(demo.output()).toContain('[ 5.0s] demo over after 5s');
    expect(demo.clock.pendingTimers).toBe(0);
  });

  it('ends exactly at a duration that is not a whole number of ticks', async () => {
    const demo = await start({ durationMs: 1_250 });
    await demo.clock.advanceAsync(1_249);
    expect(demo.ended()).toBe(false);
    await demo.clock.advanceAsync(1);
    expect(await demo.running).toMatchObject({ elapsedMs: 1_250, interrupted: false });
    expect(demo.clock.pendingTimers).toBe(0);
  });

  it('stops when the signal aborts, prints the summary and leaves no timer behind', async () => {
    const controller = new AbortController();
    const demo = await start({ signal: controller.signal });
    await demo.clock.advanceAsync(7_300);
    controller.abort();
    const result = await demo.running;
    expect(result).toMatchObject({ elapsedMs: 7_300, interrupted: true });
    expect(result.services).toHaveLength(12);
    expect(demo.output()).toContain('[ 7.3s] demo interrupted after 7.3s');
    expect(demo.clock.pendingTimers).toBe(0);
  });

  it('stops at once when the signal has already aborted', async () => {
    const demo = await start({ signal: AbortSignal.abort() });
    expect(await demo.running).toMatchObject({ elapsedMs: 0, interrupted: true });
    expect(demo.clock.pendingTimers).toBe(0);
  });

  it('colours states with ANSI codes when colour is on', async () => {
    const demo = await start({ durationMs: 4_000, color: true });
    await demo.clock.advanceAsync(4_000);
    await demo.running;
    expect(demo.output()).toContain('\u001b[31mopen\u001b[39m');
  });

  it('rejects a duration that is not a positive number, before starting anything', async () => {
    const clock = new FakeClock();
    const write = (): void => {};
    const storeFile = newStore();
    await expect(runDemo({ clock, write, storeFile, durationMs: 0 })).rejects.toThrow(/durationMs/);
    await expect(runDemo({ clock, write, storeFile, durationMs: Number.NaN })).rejects.toThrow(
      /durationMs/,
    );
    const error = await runDemo({ clock, write, storeFile, durationMs: -5 }).catch((e) => e);
    expect(isConfigError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: 'durationMs', value: -5 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs an Infinity duration until the signal aborts, and refuses one without a signal', async () => {
    const clock = new FakeClock();
    const write = (): void => {};
    await expect(
      runDemo({ clock, write, storeFile: newStore(), durationMs: Number.POSITIVE_INFINITY }),
    ).rejects.toThrow(/durationMs.*Infinity only with a signal/);
    const controller = new AbortController();
    const demo = await start({ durationMs: Number.POSITIVE_INFINITY, signal: controller.signal });
    await demo.clock.advanceAsync(50_000);
    expect(demo.ended()).toBe(false);
    expect(demo.output()).toContain('Runs until Ctrl-C.');
    controller.abort();
    expect(await demo.running).toMatchObject({ elapsedMs: 50_000, interrupted: true });
    expect(demo.clock.pendingTimers).toBe(0);
  });

  it('names the configuration file that cannot be read, opening no store', async () => {
    const clock = new FakeClock();
    const storeFile = newStore();
    const demo = runDemo({ clock, write: () => {}, storeFile, configFile: 'nowhere.yaml' });
    await expect(demo).rejects.toThrow(/Invalid configuration file nowhere\.yaml/);
    expect(clock.pendingTimers).toBe(0);
  });
});
