// The v2 monitoring protocol with no dependencies: message types, close
// codes, a light check of server frames and the registry → wire mapping.
// What a browser client needs; a server validating what clients send imports
// the zod schemas from `@breakwater/protocol/schema`.
export {
  type CircuitActionMessage,
  type CircuitActionType,
  type CircuitDisableMessage,
  type CircuitForceOpenMessage,
  type CircuitReleaseMessage,
  type CircuitResetMessage,
  type ClientMessage,
  type ClientMessageType,
  circuitActionTypes,
  clientMessageTypes,
  type HealthCheckMessage,
  type PingMessage,
  type SubscribeServicesMessage,
  type UnsubscribeServicesMessage,
} from './client-messages';
export { type CloseCode, closeCodes } from './close-codes';
export { type ParsedServerMessage, parseServerMessage } from './parse-server-message';
export {
  type CircuitActionReply,
  type CircuitDisableReply,
  type CircuitForceOpenReply,
  type CircuitPhase,
  type CircuitReleaseReply,
  type CircuitResetReply,
  type ConnectionStatusMessage,
  circuitPhases,
  type ErrorMessage,
  type HealthCheckReply,
  type PongMessage,
  type ServerMessage,
  type ServerMessageType,
  type ServiceSnapshot,
  type ServiceStatusName,
  type ServiceUpdateMessage,
  serverMessageTypes,
  serviceStatuses,
} from './server-messages';
export { protocolCircuitState, type RegistryStatusLike, toServiceUpdate } from './service-update';
