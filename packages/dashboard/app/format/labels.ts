import type { CircuitPhase, ServiceStatusName } from '@breakwater/protocol';

export const healthLabels: Readonly<Record<ServiceStatusName, string>> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failed: 'Failed',
  unknown: 'Unknown',
};

export const phaseLabels: Readonly<Record<CircuitPhase, string>> = {
  closed: 'Closed',
  open: 'Open',
  'half-open': 'Half-open',
  'forced-open': 'Forced open',
  disabled: 'Breaker disabled',
};

/** What each state means for the calls, under the state on a card. */
export const phaseMeanings: Readonly<Record<CircuitPhase, string>> = {
  closed: 'Calls go through',
  open: 'Calls are rejected until a trial call succeeds',
  'half-open': 'Testing recovery with trial calls',
  'forced-open': 'Every call is rejected until an admin releases it',
  disabled: 'Every call goes through, failures never open it',
};

const numbers = new Intl.NumberFormat('en');

/** A count with thousands separators (200 cards show six each: small ones skip Intl). */
export function formatCount(value: number): string {
  return value < 1000 && Number.isInteger(value) ? String(value) : numbers.format(value);
}
