import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { startPolling } from '../app/detail/poll-loop';

/** A refresh whose runs settle only when the test says so. */
function controlledRefresh() {
  const settles: Array<(ok: boolean) => void> = [];
  const refresh = () =>
    new Promise<void>((resolve, reject) => {
      settles.push((ok) => (ok ? resolve() : reject(new Error('down'))));
    });
  return { refresh, settles };
}

describe('startPolling', () => {
  it('refreshes at once, then the interval after each refresh settles', async () => {
    const clock = new FakeClock();
    const { refresh, settles } = controlledRefresh();
    const stop = startPolling(refresh, 5_000, clock);
    expect(settles).toHaveLength(1);
    // Not settled yet: no timer, however long the server takes.
    await clock.advanceAsync(20_000);
    expect(settles).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    settles[0]?.(true);
    await clock.advanceAsync(4_999);
    expect(settles).toHaveLength(1);
    expect(clock.pendingTimers).toBe(1);
    await clock.advanceAsync(1);
    expect(settles).toHaveLength(2);
    stop();
  });

  it('keeps one timer at most and goes on after a failed refresh', async () => {
    const clock = new FakeClock();
    const { refresh, settles } = controlledRefresh();
    const stop = startPolling(refresh, 5_000, clock);
    settles[0]?.(false);
    await clock.advanceAsync(0);
    expect(clock.pendingTimers).toBe(1);
    await clock.advanceAsync(5_000);
    expect(settles).toHaveLength(2);
    settles[1]?.(true);
    await clock.advanceAsync(0);
    expect(clock.pendingTimers).toBe(1);
    stop();
  });

  it('clears its timer when stopped and never schedules again', async () => {
    const clock = new FakeClock();
    const { refresh, settles } = controlledRefresh();
    const stop = startPolling(refresh, 5_000, clock);
    settles[0]?.(true);
    await clock.advanceAsync(0);
    expect(clock.pendingTimers).toBe(1);
    stop();
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceAsync(60_000);
    expect(settles).toHaveLength(1);
  });

  it('does not schedule after a refresh that settles once stopped', async () => {
    const clock = new FakeClock();
    const { refresh, settles } = controlledRefresh();
    const stop = startPolling(refresh, 5_000, clock);
    stop();
    settles[0]?.(true);
    await clock.advanceAsync(60_000);
    expect(clock.pendingTimers).toBe(0);
    expect(settles).toHaveLength(1);
  });
});
