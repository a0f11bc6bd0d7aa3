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

/** Close one circuit (admin only). */
export interface CircuitResetMessage {
  type: 'circuit:reset';
  service: string;
}

/** Every message a client may send; fields sit at the top level. */
export type ClientMessage =
  | SubscribeServicesMessage
  | UnsubscribeServicesMessage
  | PingMessage
  | HealthCheckMessage
  | CircuitResetMessage;

export type ClientMessageType = ClientMessage['type'];

/** Every `type` a client may send. */
export const clientMessageTypes = Object.freeze([
  'subscribe:services',
  'unsubscribe:services',
  'ping',
  'health:check',
  'circuit:reset',
] as const satisfies readonly ClientMessageType[]);
