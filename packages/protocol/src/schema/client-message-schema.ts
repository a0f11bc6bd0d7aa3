import { z } from 'zod';
import type { CircuitActionType, ClientMessage } from '../client-messages';
import { readFrame } from '../read-frame';

const serviceFilter = z.array(z.string().min(1)).optional();

/** Subscribe to updates; without `services`, to every service. Answered at once with a full update. */
export const subscribeServicesSchema = z.object({
  type: z.literal('subscribe:services'),
  services: serviceFilter,
});

/** Drop some services from the subscription; without `services`, all of them. */
export const unsubscribeServicesSchema = z.object({
  type: z.literal('unsubscribe:services'),
  services: serviceFilter,
});

export const pingSchema = z.object({ type: z.literal('ping') });

export const healthCheckSchema = z.object({ type: z.literal('health:check') });

const circuitAction = <T extends CircuitActionType>(type: T) =>
  z.object({ type: z.literal(type), service: z.string().min(1) });

/** Close one circuit (admin only). */
export const circuitResetSchema = circuitAction('circuit:reset');
/** Reject every call to one service until released (admin only). */
export const circuitForceOpenSchema = circuitAction('circuit:force-open');
/** Let every call to one service through without tripping until released (admin only). */
export const circuitDisableSchema = circuitAction('circuit:disable');
/** End force-open or disable on one service (admin only). */
export const circuitReleaseSchema = circuitAction('circuit:release');

/** Every message a client may send; fields sit at the top level. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  subscribeServicesSchema,
  unsubscribeServicesSchema,
  pingSchema,
  healthCheckSchema,
  circuitResetSchema,
  circuitForceOpenSchema,
  circuitDisableSchema,
  circuitReleaseSchema,
]);

export type ParsedClientMessage =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly reason: string };

/** Parses one text frame: invalid JSON, an unknown type or a bad field gives a reason naming it. */
export function parseClientMessage(text: string): ParsedClientMessage {
  const frame = readFrame(text);
  if (!frame.ok) return frame;
  const result = clientMessageSchema.safeParse(frame.data);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? 'message' : issue.path.join('.');
  return { ok: false, reason: `Invalid message: ${path}: ${issue?.message ?? 'invalid'}` };
}
