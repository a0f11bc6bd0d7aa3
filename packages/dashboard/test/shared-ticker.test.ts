import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { SharedTicker } from '../app/live/shared-ticker';

describe('SharedTicker', () => {
  it('runs one timer for any number of listeners, and none once the last one leaves', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0, 250));
    const ticker = new SharedTicker(clock);
    const stops = Array.from({ length: 200 }, () => ticker.subscribe(() => {}));
    expect(clock.pendingTimers).toBe(1);
    clock.advance(5_000);
    expect(clock.pendingTimers).toBe(1);
    for (const stop of stops) stop();
    expect(clock.pendingTimers).toBe(0);
    expect(ticker.running).toBe(false);
  });

  it('ticks on whole seconds and calls every listener once per tick with the new time', () => {
    const start = Date.UTC(2026, 0, 1, 0, 0, 0, 250);
    const clock = new FakeClock(start);
    const ticker = new SharedTicker(clock);
    const seen: number[][] = [[], []];
    ticker.subscribe(() => seen[0]?.push(ticker.now()));
    ticker.subscribe(() => seen[1]?.push(ticker.now()));
    clock.advance(749);
    expect(seen[0]).toEqual([]);
    clock.advance(1);
    clock.advance(2_000);
    const ticks = [start + 750, start + 1_750, start + 2_750];
    expect(seen).toEqual([ticks, ticks]);
  });

  it('reads the clock again when it starts after a pause, so the first render is current', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const ticker = new SharedTicker(clock);
    ticker.subscribe(() => {})();
    clock.advance(60_000); // nobody listens: no timer, no tick
    expect(ticker.now()).toBe(Date.UTC(2026, 0, 1));
    ticker.subscribe(() => {});
    expect(ticker.now()).toBe(Date.UTC(2026, 0, 1, 0, 1));
  });

  it('lets a listener unsubscribe during a tick without skipping the others', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const ticker = new SharedTicker(clock);
    const calls: string[] = [];
    const stopFirst = ticker.subscribe(() => {
      calls.push('first');
      stopFirst();
    });
    ticker.subscribe(() => calls.push('second'));
    clock.advance(2_000);
    expect(calls).toEqual(['first', 'second', 'second']);
  });
});
