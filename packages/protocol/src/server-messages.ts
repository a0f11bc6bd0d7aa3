import { type CircuitActionType, circuitActionTypes } from './client-messages';

/** Every health a service can have, as the monitor shows it. */
export const serviceStatuses = Object.freeze(['healthy', 'degraded', 'failed', 'unknown'] as const);
export type ServiceStatusName = (typeof serviceStatuses)[number];

/** Every state a Breakwater breaker can be in (`circuit.phase`). */
export const circuitPhases = Object.freeze([
  'closed',
  'open',
  'half-open',
  'forced-open',
  'disabled',
] as const);
export type CircuitPhase = (typeof circuitPhases)[number];

/**
 * One service in a `service:update`. The protocol's own fields keep their
 * names and values (`circuit.state` is `open` while calls are rejected,
 * `closed` otherwise); `phase`, `recoveryIn`, `degradedBy` and `rejected` are
 * Breakwater's additions.
 */
export interface ServiceSnapshot {
  service: string;
  status: ServiceStatusName;
  circuit: {
    state: 'open' | 'closed';
    failureCount: number;
    /** ISO-8601 time of the last failure, or null. */
    lastFailure: string | null;
    recoveryAttempts: number;
    /** The breaker's full state. */
    phase: CircuitPhase;
    /** Ms until a recovery trial is admitted; null unless open. */
    recoveryIn: number | null;
    /** Direct dependencies that are failed or degraded. */
    degradedBy: string[];
  };
  operations: {
    total: number;
    successful: number;
    failed: number;
    /** Calls rejected without running (not counted in `total`). */
    rejected: number;
  };
}

export interface ConnectionStatusMessage {
  type: 'connection:status';
  status: 'connected' | 'disconnected';
  timestamp: string;
}

export interface ServiceUpdateMessage {
  type: 'service:update';
  timestamp: string;
  services: ServiceSnapshot[];
}

export interface ErrorMessage {
  type: 'error';
  /** One of `closeCodes`. */
  code: number;
  message: string;
  timestamp: string;
}

export interface PongMessage {
  type: 'pong';
  timestamp: string;
}

/** The reply to `health:check`: the fleet roll-up, as `GET /api/health/circuit-breaker` gives it. */
export interface HealthCheckReply {
  type: 'health:check';
  status: 'healthy' | 'degraded';
  timestamp: string;
  stats: {
    total: number;
    healthy: number;
    degraded: number;
    failed: number;
    unknown: number;
  };
}

/**
 * The acknowledgement of an accepted operator action, with the `type` of the
 * request: the breaker's state before and after.
 */
export interface CircuitActionReply<T extends CircuitActionType = CircuitActionType> {
  type: T;
  service: string;
  before: CircuitPhase;
  after: CircuitPhase;
  timestamp: string;
}

/** The acknowledgement of an accepted `circuit:reset`. */
export type CircuitResetReply = CircuitActionReply<'circuit:reset'>;
/** The acknowledgement of an accepted `circuit:force-open`. */
export type CircuitForceOpenReply = CircuitActionReply<'circuit:force-open'>;
/** The acknowledgement of an accepted `circuit:disable`. */
export type CircuitDisableReply = CircuitActionReply<'circuit:disable'>;
/** The acknowledgement of an accepted `circuit:release`. */
export type CircuitReleaseReply = CircuitActionReply<'circuit:release'>;

/** Every message the server sends. */
export type ServerMessage =
  | ConnectionStatusMessage
  | ServiceUpdateMessage
  | ErrorMessage
  | PongMessage
  | HealthCheckReply
  | CircuitResetReply
  | CircuitForceOpenReply
  | CircuitDisableReply
  | CircuitReleaseReply;

export type ServerMessageType = ServerMessage['type'];

/** Every `type` the server sends. */
export const serverMessageTypes = Object.freeze([
  'connection:status',
  'service:update',
  'error',
  'pong',
  'health:check',
  ...circuitActionTypes,
] as const satisfies readonly ServerMessageType[]);
