import { z } from 'zod';

/** A service's health as the monitor shows it. */
export const serviceStatusSchema = z.enum(['healthy', 'degraded', 'failed', 'unknown']);
export type ServiceStatusName = z.infer<typeof serviceStatusSchema>;

/** Every state a Breakwater breaker can be in (`circuit.phase`). */
export const circuitPhaseSchema = z.enum([
  'closed',
  'open',
  'half-open',
  'forced-open',
  'disabled',
]);
export type CircuitPhase = z.infer<typeof circuitPhaseSchema>;

const isoTimestamp = z.string().min(1);

/**
 * One service in a `service:update`. The seed 002 fields keep their names and
 * values (`circuit.state` is `open` while calls are rejected, `closed`
 * otherwise); `phase`, `recoveryIn`, `degradedBy` and `rejected` are additions.
 */
export const serviceSnapshotSchema = z.object({
  service: z.string(),
  status: serviceStatusSchema,
  circuit: z.object({
    state: z.enum(['open', 'closed']),
    failureCount: z.number().int().nonnegative(),
    lastFailure: z.string().nullable(),
    recoveryAttempts: z.number().int().nonnegative(),
    /** The breaker's full state. */
    phase: circuitPhaseSchema,
    /** Ms until a recovery trial is admitted; null unless open. */
    recoveryIn: z.number().nonnegative().nullable(),
    /** Direct dependencies that are failed or degraded. */
    degradedBy: z.array(z.string()),
  }),
  operations: z.object({
    total: z.number().int().nonnegative(),
    successful: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    /** Calls rejected without running (not counted in `total`). */
    rejected: z.number().int().nonnegative(),
  }),
});
export type ServiceSnapshot = z.infer<typeof serviceSnapshotSchema>;

export const connectionStatusMessageSchema = z.object({
  type: z.literal('connection:status'),
  status: z.enum(['connected', 'disconnected']),
  timestamp: isoTimestamp,
});
export type ConnectionStatusMessage = z.infer<typeof connectionStatusMessageSchema>;

export const serviceUpdateMessageSchema = z.object({
  type: z.literal('service:update'),
  timestamp: isoTimestamp,
  services: z.array(serviceSnapshotSchema),
});
export type ServiceUpdateMessage = z.infer<typeof serviceUpdateMessageSchema>;

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.number().int(),
  message: z.string(),
  timestamp: isoTimestamp,
});
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  timestamp: isoTimestamp,
});
export type PongMessage = z.infer<typeof pongMessageSchema>;

/** The reply to `health:check`: the fleet roll-up, as `GET /api/health/circuit-breaker` gives it. */
export const healthCheckReplySchema = z.object({
  type: z.literal('health:check'),
  status: z.enum(['healthy', 'degraded']),
  timestamp: isoTimestamp,
  stats: z.object({
    total: z.number().int().nonnegative(),
    healthy: z.number().int().nonnegative(),
    degraded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    unknown: z.number().int().nonnegative(),
  }),
});
export type HealthCheckReply = z.infer<typeof healthCheckReplySchema>;

/** The acknowledgement of an accepted `circuit:reset`: the state before and after. */
export const circuitResetReplySchema = z.object({
  type: z.literal('circuit:reset'),
  service: z.string(),
  before: circuitPhaseSchema,
  after: circuitPhaseSchema,
  timestamp: isoTimestamp,
});
export type CircuitResetReply = z.infer<typeof circuitResetReplySchema>;

/** Every message the server sends. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  connectionStatusMessageSchema,
  serviceUpdateMessageSchema,
  errorMessageSchema,
  pongMessageSchema,
  healthCheckReplySchema,
  circuitResetReplySchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
