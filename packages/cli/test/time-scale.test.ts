import { describe, expect, it } from 'vitest';
import { scaleOptions } from '../src/demo/time-scale';

describe('scaleOptions', () => {
  it('divides every duration by 20 and keeps counts, rates and multipliers', () => {
    expect(
      scaleOptions({
        failureThreshold: 3,
        resetTimeout: 30_000,
        maxResetTimeout: 600_000,
        minHealthyPeriod: 120_000,
        monitoringWindow: 300_000,
        slowCallDuration: 2_000,
        timeout: 5_000,
        slidingWindow: { type: 'time', size: 60_000 },
        backoffMultiplier: 2,
        failureRateThreshold: 0.5,
      }),
    ).toEqual({
      failureThreshold: 3,
      resetTimeout: 1_500,
      maxResetTimeout: 30_000,
      minHealthyPeriod: 6_000,
      monitoringWindow: 15_000,
      slowCallDuration: 100,
      timeout: 250,
      slidingWindow: { type: 'time', size: 3_000 },
      backoffMultiplier: 2,
      failureRateThreshold: 0.5,
    });
  });

  it("scales the durations left to core's defaults too, and no count window", () => {
    expect(
      scaleOptions({ resetTimeout: 45_000, slidingWindow: { type: 'count', size: 100 } }),
    ).toEqual({
      resetTimeout: 2_250,
      maxResetTimeout: 15_000,
      minHealthyPeriod: 6_000,
      slowCallDuration: 250,
      slidingWindow: { type: 'count', size: 100 },
    });
  });
});
