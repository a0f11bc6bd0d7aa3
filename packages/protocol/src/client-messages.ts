/** Subscribe to updates; without `services`, to every service. Answered at once with a full update. */
export interface SubscribeServicesMessage {
  type: 'subscribe:services';
  services?: string[] | undefined;
}

/** Drop some services from the subscription; without `services`, all of them. */
export interface UnsubscribeServicesMessage {
  type: 'unsubscribe:services';
  services?: string[] | undefined;
}

export interface PingMessage {
  type: 'ping';
}

export interface HealthCheckMessage {
  type: 'health:check';
}

/**
 * The operator actions a client may ask for, each admin only and answered
 * with a reply of the same `type`: `circuit:reset` closes a circuit,
 * `circuit:force-open` rejects every call until released,
 * `circuit:disable` lets every call through without tripping until
 * released, `circuit:release` ends force-open or disable.
 */
export const circuitActionTypes = Object.freeze([
  'circuit:reset',
  'circuit:force-open',
  'circuit:disable',
  'circuit:release',
] as const);
export type CircuitActionType = (typeof circuitActionTypes)[number];

/** One operator action on one circuit (admin only). */
export interface CircuitActionMessage<T extends CircuitActionType = CircuitActionType> {
  type: T;
  service: string;
}

/** Close one circuit (admin only). */
export type CircuitResetMessage = CircuitActionMessage<'circuit:reset'>;
/** Reject every call to one service until released (admin only). */
export type CircuitForceOpenMessage = CircuitActionMessage<'circuit:force-open'>;
/** Let every call to one service through without tripping until released (admin only). */
export type CircuitDisableMessage = CircuitActionMessage<'circuit:disable'>;
/** End force-open or disable on one service (admin only). */
export type CircuitReleaseMessage = CircuitActionMessage<'circuit:release'>;

/** Every message a client may send; fields sit at the top level. */
export type ClientMessage =
  | SubscribeServicesMessage
  | UnsubscribeServicesMessage
  | PingMessage
  | HealthCheckMessage
  | CircuitResetMessage
  | CircuitForceOpenMessage
  | CircuitDisableMessage
  | CircuitReleaseMessage;

export type ClientMessageType = ClientMessage['type'];

/** Every `type` a client may send. */
export const clientMessageTypes = Object.freeze([
  'subscribe:services',
  'unsubscribe:services',
  'ping',
  'health:check',
  ...circuitActionTypes,
] as const satisfies readonly ClientMessageType[]);
