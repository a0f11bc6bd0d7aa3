import { isUtf8 } from 'node:buffer';
import type { RawFrame } from './raw-websocket';

/**
 * What the server does with a sequence of client frames, by RFC 6455 and the
 * monitor's limits (docs/protocol.md): the close code it answers with, or
 * `open` when every frame was acceptable. `messages` counts the complete data
 * messages it hands to the stream (each answered at once by a reply or an
 * `error`, or by nothing for `unsubscribe:services`).
 */
export type Outcome =
  | { readonly kind: 'closed'; readonly code: number; readonly messages: number }
  | { readonly kind: 'open'; readonly messages: number };

const maxSafeLength = 2n ** 53n - 1n;

export function expectedOutcome(frames: readonly RawFrame[], maxMessageBytes: number): Outcome {
  let fragmented = 0; // the opcode of the message being continued, 0 when none
  let total = 0;
  let parts: Uint8Array[] = [];
  let messages = 0;
  const closed = (code: number): Outcome => ({ kind: 'closed', code, messages });
  for (const frame of frames) {
    if (frame.rsv !== 0) return closed(1002); // no extension is negotiated
    let opcode = frame.opcode;
    const announced = frame.announced ?? BigInt(frame.payload.length);
    if (opcode === 0) {
      if (fragmented === 0) return closed(1002);
      opcode = fragmented;
    } else if (opcode === 1 || opcode === 2) {
      if (fragmented !== 0) return closed(1002);
    } else if (opcode >= 8 && opcode <= 10) {
      if (!frame.fin) return closed(1002);
      // A control frame's length must be written in 7 bits and be at most 125.
      if (frame.length !== 'short' || announced > 125n || (opcode === 8 && announced === 1n))
        return closed(1002);
    } else {
      return closed(1002);
    }
    if (!frame.masked) return closed(1002);
    if (announced > maxSafeLength) return closed(1009);
    if (opcode < 8 && announced > 0n) {
      total += Number(announced);
      if (total > maxMessageBytes) return closed(1009);
    }
    if (opcode === 8) {
      if (frame.payload.length === 0) return closed(1005);
      const code = Buffer.from(frame.payload).readUInt16BE(0);
      if (!isValidCloseCode(code)) return closed(1002);
      if (!isUtf8(frame.payload.subarray(2))) return closed(1007);
      return closed(code); // echoed back
    }
    if (opcode > 8) continue; // ping (answered with a pong frame) and pong
    parts.push(frame.payload);
    if (!frame.fin) {
      fragmented = opcode;
      continue;
    }
    const message = Buffer.concat(parts);
    fragmented = 0;
    total = 0;
    parts = [];
    if (opcode === 1 && !isUtf8(message)) return closed(1007);
    messages += 1;
  }
  return { kind: 'open', messages };
}

/** Close codes a client may send (RFC 6455 §7.4, as `ws` checks them). */
function isValidCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}
