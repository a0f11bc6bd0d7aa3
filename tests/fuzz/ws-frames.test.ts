import { once } from 'node:events';
import { connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedOutcome } from './support/frame-model';
import { fuzzRuns, timeoutFor, useFuzzMonitor } from './support/fuzz-monitor';
import { binary, hostileText, invalidUtf8, oversize } from './support/hostile-payloads';
import { encodeFrame, type RawFrame, RawWebSocket, textFrame } from './support/raw-websocket';

// Random and malformed WebSocket frames against a real monitor on a real
// socket: frames a library would never send (bad opcodes, reserved bits,
// unmasked, control frames too long, 64-bit lengths), fragmented messages,
// invalid UTF-8, binary and oversize frames, and JSON of every wrong shape.
// Each case expects exactly what RFC 6455 and docs/protocol.md say: a
// documented close code, or an open connection that still answers a ping;
// and after each case a bystander client still receives updates.

const path = '/api/v2/ws/circuit-breaker';
const maxMessageBytes = 16_384;
/** Codes the stream's `error` messages may carry for a client's own mistakes (docs/protocol.md). */
const clientErrorCodes = [4003, 4004];
const serverMessageTypes = [
  'connection:status',
  'service:update',
  'error',
  'pong',
  'health:check',
  'circuit:reset',
  'circuit:force-open',
  'circuit:disable',
  'circuit:release',
];

const runs = fuzzRuns(150);
// Nothing the clients did is worth a log line of the monitor or of `ws`.
const monitor = useFuzzMonitor();

/** A whole message in 1 to 4 frames (continuations after the first), masked as a client must. */
function framed(opcode: 1 | 2, payload: Buffer) {
  return fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('short', '16', '64' as const))
    .map(([pieces, length]): RawFrame[] => {
      const size = Math.ceil(payload.length / pieces) || 1;
      const frames: RawFrame[] = [];
      for (let start = 0; start < payload.length || frames.length === 0; start += size) {
        frames.push({
          fin: false,
          rsv: 0,
          opcode: frames.length === 0 ? opcode : 0,
          masked: true,
          payload: payload.subarray(start, start + size),
          length: length as RawFrame['length'],
        });
      }
      const last = frames.length - 1;
      frames[last] = { ...(frames[last] as RawFrame), fin: true };
      return frames;
    });
}

const textMessage = hostileText.chain((text) => framed(1, Buffer.from(text)));
const invalidText = invalidUtf8.chain((bytes) => framed(1, bytes));
const binaryMessage = binary.chain((bytes) => framed(2, bytes));
const oversizeMessage = fc
  .tuple(oversize(maxMessageBytes), fc.constantFrom(1, 2))
  .chain(([bytes, opcode]) => framed(opcode as 1 | 2, bytes));

/** Control frames: pings and pongs (some too long), and closes with any code and reason. */
const controlFrame = fc
  .record({
    opcode: fc.constantFrom(8, 9, 10),
    payload: fc.oneof(
      fc.uint8Array({ maxLength: 130 }),
      fc
        .tuple(
          fc.integer({ min: 0, max: 65_535 }),
          fc.oneof(fc.string({ maxLength: 20 }), invalidUtf8),
        )
        .map(([code, reason]) => {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(code);
          return Buffer.concat([head, Buffer.from(reason)]);
        }),
    ),
  })
  .map(
    ({ opcode, payload }): RawFrame => ({
      fin: true,
      rsv: 0,
      opcode,
      masked: true,
      payload: Buffer.from(payload),
      length: 'short',
    }),
  );

/** Any header at all: reserved bits, unknown opcodes, no mask, no FIN, lengths written long. */
const wildFrame = fc.record({
  fin: fc.boolean(),
  rsv: fc.integer({ min: 0, max: 7 }),
  opcode: fc.integer({ min: 0, max: 15 }),
  masked: fc.boolean(),
  payload: fc.uint8Array({ maxLength: 140 }),
  length: fc.constantFrom('short', '16', '64' as const),
}) as fc.Arbitrary<RawFrame>;

/** A data frame announcing more than the limit (up to 2^64 − 1) whose payload never comes. */
const hugeAnnounced = fc
  .tuple(
    fc.bigInt({ min: BigInt(maxMessageBytes + 1), max: 2n ** 64n - 1n }),
    fc.constantFrom(1, 2),
  )
  .map(
    ([announced, opcode]): RawFrame => ({
      fin: true,
      rsv: 0,
      opcode,
      masked: true,
      payload: new Uint8Array(),
      length: '64',
      announced,
    }),
  );

const frameGroup = fc.oneof(
  { arbitrary: textMessage, weight: 10 },
  { arbitrary: invalidText, weight: 1 },
  { arbitrary: binaryMessage, weight: 1 },
  { arbitrary: oversizeMessage, weight: 1 },
  { arbitrary: controlFrame.map((frame) => [frame]), weight: 1 },
  { arbitrary: wildFrame.map((frame) => [frame]), weight: 1 },
  { arbitrary: hugeAnnounced.map((frame) => [frame]), weight: 1 },
);

const connection = fc.record({
  role: fc.constantFrom('admin', 'viewer' as const),
  frames: fc.array(frameGroup, { minLength: 1, maxLength: 6 }).map((groups) => groups.flat()),
  /** Written in one go, or frame by frame: the server must not care how bytes arrive. */
  together: fc.boolean(),
});

describe('random and malformed frames', () => {
  it(
    'get the answer the protocol documents, and never disturb another client',
    async () => {
      await fc.assert(
        fc.asyncProperty(connection, async ({ role, frames, together }) => {
          const client = await RawWebSocket.open(monitor().port, path, monitor().tokens[role]);
          try {
            // A ping at the end: an open connection must still answer it.
            const sent = [...frames, textFrame('{"type":"ping"}')];
            const expected = expectedOutcome(sent, maxMessageBytes);
            const bytes = sent.map(encodeFrame);
            if (together) client.write(Buffer.concat(bytes));
            else for (const piece of bytes) client.write(piece);
            const ponged = () => client.messages().some((message) => message.type === 'pong');
            const settled = await client.until(() => client.closeCode() !== undefined || ponged());
            expect(settled, 'the server neither closed nor answered the ping within 5 s').toBe(
              true,
            );

            if (expected.kind === 'closed') expect(client.closeCode()).toBe(expected.code);
            else {
              expect(client.closeCode()).toBeUndefined();
              expect(ponged()).toBe(true);
            }
            for (const message of client.messages()) {
              expect(serverMessageTypes).toContain(message.type);
              if (message.type !== 'error') continue;
              expect(clientErrorCodes).toContain(message.code);
              expect(typeof message.message).toBe('string');
              expect(String(message.message).length).toBeGreaterThan(0);
              // The message names the problem but never carries a huge input back.
              expect(String(message.message).length).toBeLessThan(400);
            }
          } finally {
            client.close();
          }
          await monitor().bystanderReceives();
        }),
        { numRuns: runs },
      );
    },
    timeoutFor(runs),
  );
});

describe('connections that misbehave as a whole', () => {
  it('a client past twice the rate limit gets error 4029 and close 4029; the bystander keeps receiving', async () => {
    const client = await RawWebSocket.open(monitor().port, path, monitor().tokens.viewer);
    try {
      client.write(
        Buffer.concat(Array.from({ length: 130 }, () => encodeFrame(textFrame('{"type":"ping"}')))),
      );
      await client.until(() => client.closeCode() !== undefined);
      expect(client.closeCode()).toBe(4029);
      const codes = client
        .messages()
        .flatMap((message) => (message.type === 'error' ? [message.code] : []));
      expect(codes).toHaveLength(61); // messages 61–120 refused, then the one that closes it
      expect(new Set(codes)).toEqual(new Set([4029]));
      expect(client.messages().filter((message) => message.type === 'pong')).toHaveLength(60);
    } finally {
      client.close();
    }
    await monitor().bystanderReceives();
  });

  it('a message in more fragments than ws buffers is closed with 1008', async () => {
    const client = await RawWebSocket.open(monitor().port, path, monitor().tokens.viewer);
    try {
      const empty = (opcode: number, fin: boolean): RawFrame => ({
        fin,
        rsv: 0,
        opcode,
        masked: true,
        payload: new Uint8Array(),
        length: 'short',
      });
      const pieces = [empty(1, false), ...Array.from({ length: 16_384 }, () => empty(0, false))];
      client.write(Buffer.concat(pieces.map(encodeFrame)));
      await client.until(() => client.closeCode() !== undefined);
      expect(client.closeCode()).toBe(1008);
    } finally {
      client.close();
    }
    await monitor().bystanderReceives();
  });

  it('clients that reset the connection in the middle of the upgrade do not crash the monitor', async () => {
    for (let round = 0; round < 50; round++) {
      const socket = connect(monitor().port, '127.0.0.1');
      await once(socket, 'connect');
      socket.on('error', () => {});
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
          `Sec-WebSocket-Protocol: ${monitor().tokens.viewer}\r\n\r\n`,
      );
      // Reset while the token is being verified (or at once, or after a turn).
      if (round % 3 === 1) await new Promise((resolve) => setImmediate(resolve));
      socket.resetAndDestroy();
    }
    await monitor().bystanderReceives();
  });
});
