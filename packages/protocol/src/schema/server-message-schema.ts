import { z } from 'zod';
import type { CircuitActionType } from '../client-messages';
import { circuitPhases, serviceStatuses } from '../server-messages';

/** A service's health as the monitor shows it. */
export const serviceStatusSchema = z.enum(serviceStatuses);

/** Every state a Breakwater breaker can be in (`circuit.phase`). */
export const circuitPhaseSchema = z.enum(circuitPhases);

const isoTimestamp = z.string().min(1);

/** One service in a `service:update` (see `ServiceSnapshot`). */
export const serviceSnapshotSchema = z.object({
  service: z.string(),
  status: serviceStatusSchema,
  circuit: z.object({
    state: z.enum(['open', 'closed']),
    failureCount: z.number().int().nonnegative(),
    lastFailure: z.string().nullable(),
    recoveryAttempts: z.number().int().nonnegative(),
    phase: circuitPhaseSchema,
    recoveryIn: z.number().nonnegative().nullable(),
    degradedBy: z.array(z.string()),
  }),
  operations: z.object({
    total: z.number().int().nonnegative(),
    successful: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
  }),
});

export const connectionStatusMessageSchema = z.object({
  type: z.literal('connection:status'),
  status: z.enum(['connected', 'disconnected']),
  timestamp: isoTimestamp,
});

export const serviceUpdateMessageSchema = z.object({
  type: z.literal('service:update'),
  timestamp: isoTimestamp,
  services: z.array(serviceSnapshotSchema),
});

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.number().int(),
  message: z.string(),
  timestamp: isoTimestamp,
});

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  timestamp: isoTimestamp,
});

/** The reply to `health:check`. */
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

const circuitActionReply = <T extends CircuitActionType>(type: T) =>
  z.object({
    type: z.literal(type),
    service: z.string(),
    before: circuitPhaseSchema,
    after: circuitPhaseSchema,
    timestamp: isoTimestamp,
  });

/** The acknowledgement of an accepted `circuit:reset`. */
export const circuitResetReplySchema = circuitActionReply('circuit:reset');
/** The acknowledgement of an accepted `circuit:force-open`. */
export const circuitForceOpenReplySchema = circuitActionReply('circuit:force-open');
/** The acknowledgement of an accepted `circuit:disable`. */
export const circuitDisableReplySchema = circuitActionReply('circuit:disable');
/** The acknowledgement of an accepted `circuit:release`. */
export const circuitReleaseReplySchema = circuitActionReply('circuit:release');

/** Every message the server sends. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  connectionStatusMessageSchema,
  serviceUpdateMessageSchema,
  errorMessageSchema,
  pongMessageSchema,
  healthCheckReplySchema,
  circuitResetReplySchema,
  circuitForceOpenReplySchema,
  circuitDisableReplySchema,
  circuitReleaseReplySchema,
]);
