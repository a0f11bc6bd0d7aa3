import type { StateName } from '@breakwater/core';

/** What can raise an alert: the same names as the configuration's `alerts` events. */
export const alertKinds = Object.freeze([
  'circuit-open',
  'recovery-failed',
  'recovery-exhausted',
  'open-too-long',
] as const);

export type AlertKind = (typeof alertKinds)[number];

/** One alert, as the log notifier renders it and the webhook notifier POSTs it (JSON). */
export interface Alert {
  readonly kind: AlertKind;
  readonly service: string;
  /** When it happened, ISO 8601. */
  readonly at: string;
  /** One sentence for people. */
  readonly message: string;
  readonly details: AlertDetails;
}

export interface AlertDetails {
  /** The transition behind the alert (for `open-too-long`, the latest one of the outage). */
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: string;
  /** Entries into half-open since the last healthy period. */
  readonly recoveryAttempts: number;
  /** `open-too-long` only: ms the circuit has been out of service. */
  readonly openFor?: number;
  /** `recovery-exhausted` only: recoveries that failed in a row. */
  readonly failedRecoveries?: number;
  /** `recovery-exhausted` only: the open period now in force, ms. */
  readonly nextResetTimeout?: number;
  /** Every service downstream of this one (`registry.affectedBy`), nearest first. */
  readonly affected?: readonly string[];
}
