import type { CircuitPhase } from '@breakwater/protocol';

/** The manual actions on one circuit, as the HTTP API names them (`POST …/:name/<action>`). */
export const circuitActionNames = ['reset', 'force-open', 'disable', 'release'] as const;
export type CircuitAction = (typeof circuitActionNames)[number];

interface ActionDefinition {
  /** The button's name (pinned: the browser tests look for exactly these). */
  readonly label: string;
  /** What confirming will do, said in full before the admin confirms. */
  consequence(service: string): string;
  /** Whether the action means anything in this phase (the button is disabled otherwise). */
  availableIn(phase: CircuitPhase): boolean;
}

export const circuitActions: Readonly<Record<CircuitAction, ActionDefinition>> = {
  reset: {
    label: 'Reset',
    consequence: (service) =>
      `Reset ${service}: its circuit closes and its failures and recovery backoff are forgotten, so calls go through again.`,
    availableIn: () => true,
  },
  'force-open': {
    label: 'Force open',
    consequence: (service) =>
      `Force ${service} open: every call to it is rejected at once, until an admin releases it.`,
    availableIn: (phase) => phase !== 'forced-open',
  },
  disable: {
    label: 'Disable',
    consequence: (service) =>
      `Disable the circuit breaker of ${service}: every call goes through and failures never open the circuit, until an admin releases it.`,
    availableIn: (phase) => phase !== 'disabled',
  },
  release: {
    label: 'Release',
    consequence: (service) =>
      `Release ${service}: it leaves manual control and its circuit closes.`,
    availableIn: (phase) => phase === 'forced-open' || phase === 'disabled',
  },
};

/** The route of an action on a service. */
export function actionPath(service: string, action: CircuitAction): string {
  return `/api/circuit-breakers/${encodeURIComponent(service)}/${action}`;
}

/** The monitor's answer to a manual action. */
export interface ActionResult {
  readonly service: string;
  readonly action: string;
  readonly before: string;
  readonly after: string;
}

/** One line for the outcome of an action: `payments: forced-open → closed`. */
export function describeActionResult(result: ActionResult): string {
  return result.before === result.after
    ? `${result.service}: ${result.action} done, still ${result.after}`
    : `${result.service}: ${result.before} → ${result.after}`;
}
