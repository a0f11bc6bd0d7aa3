import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  CircuitDisableMessage,
  CircuitDisableReply,
  CircuitForceOpenMessage,
  CircuitForceOpenReply,
  CircuitPhase,
  CircuitReleaseMessage,
  CircuitReleaseReply,
  CircuitResetMessage,
  CircuitResetReply,
  ClientMessage,
  ConnectionStatusMessage,
  ErrorMessage,
  HealthCheckReply,
  PongMessage,
  ServerMessage,
  ServiceSnapshot,
  ServiceStatusName,
  ServiceUpdateMessage,
  SubscribeServicesMessage,
} from '../src/index';
import type {
  circuitDisableReplySchema,
  circuitDisableSchema,
  circuitForceOpenReplySchema,
  circuitForceOpenSchema,
  circuitPhaseSchema,
  circuitReleaseReplySchema,
  circuitReleaseSchema,
  circuitResetReplySchema,
  circuitResetSchema,
  clientMessageSchema,
  connectionStatusMessageSchema,
  errorMessageSchema,
  healthCheckReplySchema,
  pongMessageSchema,
  serverMessageSchema,
  serviceSnapshotSchema,
  serviceStatusSchema,
  serviceUpdateMessageSchema,
  subscribeServicesSchema,
} from '../src/schema/index';

// The main entry's hand-written types (what a browser client compiles
// against) and the schemas' inferred types (what the server validates) are
// one contract: `npm run typecheck` fails when they drift apart.
describe('the schemas infer exactly the main entry types', () => {
  it('for client messages', () => {
    expectTypeOf<z.infer<typeof clientMessageSchema>>().toEqualTypeOf<ClientMessage>();
    expectTypeOf<
      z.infer<typeof subscribeServicesSchema>
    >().toEqualTypeOf<SubscribeServicesMessage>();
    expectTypeOf<z.infer<typeof circuitResetSchema>>().toEqualTypeOf<CircuitResetMessage>();
    expectTypeOf<z.infer<typeof circuitForceOpenSchema>>().toEqualTypeOf<CircuitForceOpenMessage>();
    expectTypeOf<z.infer<typeof circuitDisableSchema>>().toEqualTypeOf<CircuitDisableMessage>();
    expectTypeOf<z.infer<typeof circuitReleaseSchema>>().toEqualTypeOf<CircuitReleaseMessage>();
  });

  it('for server messages', () => {
    expectTypeOf<z.infer<typeof serverMessageSchema>>().toEqualTypeOf<ServerMessage>();
    expectTypeOf<z.infer<typeof serviceSnapshotSchema>>().toEqualTypeOf<ServiceSnapshot>();
    expectTypeOf<
      z.infer<typeof serviceUpdateMessageSchema>
    >().toEqualTypeOf<ServiceUpdateMessage>();
    expectTypeOf<
      z.infer<typeof connectionStatusMessageSchema>
    >().toEqualTypeOf<ConnectionStatusMessage>();
    expectTypeOf<z.infer<typeof errorMessageSchema>>().toEqualTypeOf<ErrorMessage>();
    expectTypeOf<z.infer<typeof pongMessageSchema>>().toEqualTypeOf<PongMessage>();
    expectTypeOf<z.infer<typeof healthCheckReplySchema>>().toEqualTypeOf<HealthCheckReply>();
    expectTypeOf<z.infer<typeof circuitResetReplySchema>>().toEqualTypeOf<CircuitResetReply>();
    expectTypeOf<
      z.infer<typeof circuitForceOpenReplySchema>
    >().toEqualTypeOf<CircuitForceOpenReply>();
    expectTypeOf<z.infer<typeof circuitDisableReplySchema>>().toEqualTypeOf<CircuitDisableReply>();
    expectTypeOf<z.infer<typeof circuitReleaseReplySchema>>().toEqualTypeOf<CircuitReleaseReply>();
  });

  it('for the enumerations', () => {
    expectTypeOf<z.infer<typeof circuitPhaseSchema>>().toEqualTypeOf<CircuitPhase>();
    expectTypeOf<z.infer<typeof serviceStatusSchema>>().toEqualTypeOf<ServiceStatusName>();
  });
});
