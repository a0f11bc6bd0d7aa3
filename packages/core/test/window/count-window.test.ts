import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/window/count-window';
import { outcomeFlags } from '../../src/window/outcome-window';
import { mulberry32 } from '../support/seeded-random';

/** The obvious window: an array of every call's flags, cut to the last `size`. */
class ArrayWindow {
  #calls: number[] = [];
  constructor(readonly size: number) {}
  record(flags: number): void {
    this.#calls.push(flags);
    this.#calls = this.#calls.slice(-this.size);
  }
  recordSuccesses(count: number): void {
    for (let call = 0; call < count; call++) this.record(0);
  }
  clear(): void {
    this.#calls = [];
  }
  totals() {
    const count = (flag: number) => this.#calls.filter((flags) => flags & flag).length;
    return {
      calls: this.#calls.length,
      failures: count(outcomeFlags.failure),
      slowCalls: count(outcomeFlags.slow),
      timedCalls: count(outcomeFlags.timed),
    };
  }
}

const totalsOf = ({ calls, failures, slowCalls, timedCalls }: CountWindow) => ({
  calls,
  failures,
  slowCalls,
  timedCalls,
});

describe('CountWindow', () => {
  it.each([1, 2, 3, 7, 100])(
    'agrees with an array of the last %i calls over 3,000 random steps',
    (size) => {
      const random = mulberry32(size);
      const window = new CountWindow(size);
      const reference = new ArrayWindow(size);
      for (let step = 0; step < 3_000; step++) {
        const roll = random();
        if (roll < 0.45) {
          const flags = Math.floor(random() * 8);
          window.record(flags);
          reference.record(flags);
        } else if (roll < 0.99) {
          // Runs of successes shorter and longer than the window, as `#catchUp` adds them.
          const count = Math.floor(random() * size * (random() < 0.1 ? 3 : 0.6)) + 1;
          window.recordSuccesses(count);
          reference.recordSuccesses(count);
        } else {
          window.clear();
          reference.clear();
        }
        expect(totalsOf(window), `step ${step}`).toEqual(reference.totals());
      }
    },
  );

  it('drops a flagged call exactly when the size-th call after it arrives', () => {
    const window = new CountWindow(5);
    window.record(outcomeFlags.failure);
    window.recordSuccesses(3);
    expect(window).toMatchObject({ calls: 4, failures: 1 });
    window.recordSuccesses(1);
    expect(window).toMatchObject({ calls: 5, failures: 1 });
    window.recordSuccesses(1);
    expect(window).toMatchObject({ calls: 5, failures: 0 });
  });

  it('takes a million successes at once as a full window of successes', () => {
    const window = new CountWindow(100);
    for (let call = 0; call < 100; call++) window.record(outcomeFlags.failure | outcomeFlags.timed);
    window.recordSuccesses(1_000_000);
    expect(totalsOf(window)).toEqual({ calls: 100, failures: 0, slowCalls: 0, timedCalls: 0 });
  });
});
