import { describe, expect, it } from 'vitest';
import {
  noisyFivePercent,
  adaptiveSimulationPlan as plan,
  quietTenthPercent,
  simulate,
} from '../support/failure-simulation';

// The same seeded simulation as the benchmark's "Adaptive thresholds" section
// (bench/scenarios/adaptive.ts): 100 calls/s on a FakeClock, two simulated
// hours of normal traffic, then 100 outages at 50% errors that both breakers
// face identically.
describe.each([noisyFivePercent, quietTenthPercent])(
  'adaptive vs 5 consecutive failures on a $label dependency (seeded simulation)',
  (model) => {
    it('trips falsely less often, and no later on a 50% outage', async () => {
      const fixed = await simulate(model, { failureThreshold: 5 }, plan);
      const adaptive = await simulate(model, { adaptive: {} }, plan);

      expect(adaptive.falseTripsPerHour).toBeLessThan(fixed.falseTripsPerHour);
      expect(adaptive.callsToTrip.every(Number.isFinite)).toBe(true);
      expect(adaptive.meanCallsToTrip).toBeLessThanOrEqual(fixed.meanCallsToTrip);
      expect(adaptive.medianCallsToTrip).toBeLessThanOrEqual(fixed.medianCallsToTrip);
    }, 60_000);
  },
);
