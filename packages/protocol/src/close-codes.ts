/**
 * Codes carried by `error` messages and by WebSocket close frames (the v2
 * monitoring protocol's). 4xxx are application codes; 1001, 1007, 1009 and
 * 1013 are the standard "going away", "invalid payload data", "message too
 * big" and "try again later".
 */
export const closeCodes = Object.freeze({
  /** Missing, invalid or expired token: an `error` message, then close. */
  unauthorized: 4001,
  /** The token's role may not do this (a viewer asking for `circuit:reset`). */
  forbidden: 4003,
  /** Invalid JSON, an unknown type or a malformed message; the connection stays open. */
  invalidMessage: 4004,
  /** Over the per-connection message rate; past twice the limit the connection is closed. */
  rateLimited: 4029,
  /** A frame over the size limit (16 KB by default); the connection is closed. */
  messageTooBig: 1009,
  /** A text frame that is not valid UTF-8; the connection is closed. */
  invalidPayload: 1007,
  /** The server is shutting down. */
  goingAway: 1001,
  /** The server holds too many connections (in all, or for this token): an `error` message, then close; try again later. */
  tryAgainLater: 1013,
} as const);

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];
