import { readFrame } from './read-frame';
import { type ServerMessage, type ServerMessageType, serverMessageTypes } from './server-messages';

export type ParsedServerMessage =
  | { readonly ok: true; readonly message: ServerMessage }
  | { readonly ok: false; readonly reason: string };

const knownTypes: ReadonlySet<string> = new Set<ServerMessageType>(serverMessageTypes);

/**
 * Reads one text frame from the server with a light check and no validation
 * library: the frame must be a JSON object with a known `type` and a string
 * `timestamp`, and a `service:update` must carry a `services` array. The
 * fields beyond those are trusted as the server sent them; for a full check
 * use `serverMessageSchema` from `@breakwater/protocol/schema`.
 */
export function parseServerMessage(text: string): ParsedServerMessage {
  const frame = readFrame(text);
  if (!frame.ok) return frame;
  const { data } = frame;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'Invalid message: not an object' };
  }
  const { type, timestamp } = data as Record<string, unknown>;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    return { ok: false, reason: `Invalid message: type: unknown type ${JSON.stringify(type)}` };
  }
  if (typeof timestamp !== 'string') {
    return { ok: false, reason: 'Invalid message: timestamp: expected a string' };
  }
  if (type === 'service:update' && !Array.isArray((data as { services?: unknown }).services)) {
    return { ok: false, reason: 'Invalid message: services: expected an array' };
  }
  return { ok: true, message: data as ServerMessage };
}
