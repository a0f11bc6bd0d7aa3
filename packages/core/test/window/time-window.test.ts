import { describe, expect, it } from 'vitest';
import { outcomeFlags } from '../../src/window/outcome-window';
import { TimeWindow } from '../../src/window/time-window';

describe('TimeWindow.recordSuccesses', () => {
  it('counts a run of successes at its time and lets it age out with that time', () => {
    const window = new TimeWindow(1_000);
    window.record(outcomeFlags.failure, 0);
    window.recordSuccesses(9, 500);
    expect(window).toMatchObject({ calls: 10, failures: 1 });
    window.expire(1_000); // the failure's bucket has aged out, the successes' has not
    expect(window).toMatchObject({ calls: 9, failures: 0 });
    window.expire(1_500);
    expect(window).toMatchObject({ calls: 0, failures: 0 });
  });
});
