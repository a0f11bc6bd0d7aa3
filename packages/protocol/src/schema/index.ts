// `@breakwater/protocol/schema`: zod schemas of every message, for a server
// that validates what clients send (and tests that check what it answers).
// Each schema infers exactly the type of the same name in the main entry.
export {
  circuitDisableSchema,
  circuitForceOpenSchema,
  circuitReleaseSchema,
  circuitResetSchema,
  clientMessageSchema,
  healthCheckSchema,
  type ParsedClientMessage,
  parseClientMessage,
  pingSchema,
  subscribeServicesSchema,
  unsubscribeServicesSchema,
} from './client-message-schema';
export {
  circuitDisableReplySchema,
  circuitForceOpenReplySchema,
  circuitPhaseSchema,
  circuitReleaseReplySchema,
  circuitResetReplySchema,
  connectionStatusMessageSchema,
  errorMessageSchema,
  healthCheckReplySchema,
  pongMessageSchema,
  serverMessageSchema,
  serviceSnapshotSchema,
  serviceStatusSchema,
  serviceUpdateMessageSchema,
} from './server-message-schema';
