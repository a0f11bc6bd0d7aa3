import type { BreakerTotals, InstanceReport, SharingStatus, StateName } from '@breakwater/core';

export type { BreakerTotals, InstanceReport, SharingStatus, StateName };

/** The monitor's route that lists the fleet's instances (viewer). */
export const fleetPath = '/api/fleet';

/** The body of `GET /api/fleet` (see docs/http-api.md). */
export interface FleetResponse {
  /** When the monitor answered, ISO 8601 on its clock. */
  readonly timestamp: string;
  /** This monitor's sharing; null when its registry is not shared. */
  readonly sharing: SharingStatus | null;
  /** This monitor's instance first, then every instance heard from in the last 3 s. */
  readonly instances: readonly InstanceReport[];
}
