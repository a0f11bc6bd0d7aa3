import { errorMessage } from '../format/error-message';
import type { FleetResponse } from './fleet-api';

/**
 * What the fleet view has: nothing yet, the last answer, or the last
 * answer (if any) and why the latest request failed.
 */
export type FleetState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly fleet: FleetResponse }
  | { readonly status: 'failed'; readonly message: string; readonly fleet?: FleetResponse };

export type FleetEvent =
  | { readonly type: 'loaded'; readonly fleet: FleetResponse }
  | { readonly type: 'failed'; readonly error: unknown };

export const loadingFleet: FleetState = { status: 'loading' };

/** The fleet view's state after `event`: a failure keeps the data shown. */
export function nextFleetState(state: FleetState, event: FleetEvent): FleetState {
  switch (event.type) {
    case 'loaded':
      return { status: 'ready', fleet: event.fleet };
    case 'failed': {
      const fleet = fleetOf(state);
      const message = errorMessage(event.error);
      return fleet === undefined
        ? { status: 'failed', message }
        : { status: 'failed', message, fleet };
    }
  }
}

export function fleetOf(state: FleetState): FleetResponse | undefined {
  return 'fleet' in state ? state.fleet : undefined;
}
