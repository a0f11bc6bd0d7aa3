import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * One client frame exactly as it goes on the wire, valid or not: the fuzz
 * writes these to a socket itself, since a WebSocket library refuses to
 * send most of them.
 */
export interface RawFrame {
  readonly fin: boolean;
  /** RSV1..RSV3 as a 3-bit number (RSV1 = 4). */
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  readonly payload: Uint8Array;
  /** How the length is written: in 7 bits when it fits, or in 16 or 64 bits even when it would fit in fewer. */
  readonly length: 'short' | '16' | '64';
  /** A 64-bit length to announce instead of the payload's (the payload is not sent then): a huge frame. */
  readonly announced?: bigint;
}

export function encodeFrame(frame: RawFrame): Buffer {
  const size = frame.payload.length;
  const head = [(frame.fin ? 0x80 : 0) | ((frame.rsv & 7) << 4) | (frame.opcode & 0x0f)];
  const mask = frame.masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (frame.announced !== undefined || frame.length === '64' || size > 0xffff) {
    head.push(mask | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(frame.announced ?? BigInt(size));
  } else if (frame.length === '16' || size > 125) {
    head.push(mask | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(size);
  } else {
    head.push(mask | size);
  }
  if (frame.announced !== undefined) return Buffer.concat([Buffer.from(head), extended]);
  const key = frame.masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(frame.payload);
  if (frame.masked)
    for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

/** A complete, masked text frame: what a well-behaved client sends. */
export function textFrame(text: string): RawFrame {
  return {
    fin: true,
    rsv: 0,
    opcode: 1,
    masked: true,
    payload: Buffer.from(text),
    length: 'short',
  };
}

/** A frame the server sent (servers never mask). */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/**
 * A WebSocket connection over a bare TCP socket: the handshake by hand, then
 * any bytes at all; the server's frames are parsed as they come.
 */
export class RawWebSocket {
  readonly frames: ServerFrame[] = [];
  #buffer = Buffer.alloc(0);
  #listeners: Array<() => void> = [];
  #ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#ended = true;
      this.#notify();
    });
  }

  /** Opens a connection to `path` offering `token` as the subprotocol; rejects unless the server answers 101. */
  static async open(port: number, path: string, token: string): Promise<RawWebSocket> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: ${token}`,
        '',
        '',
      ].join('\r\n'),
    );
    let head = Buffer.alloc(0);
    for (;;) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) continue;
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!status.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        throw new Error(`the upgrade was answered ${status}`);
      }
      const client = new RawWebSocket(socket);
      socket.emit('data', head.subarray(end + 4));
      return client;
    }
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** The messages of the server's text frames, parsed as JSON. */
  messages(): Array<Record<string, unknown>> {
    return this.frames
      .filter((frame) => frame.opcode === 1)
      .map((frame) => JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
  }

  /** The code of the server's close frame (1005 when it carried none), or undefined before one came. */
  closeCode(): number | undefined {
    const close = this.frames.find((frame) => frame.opcode === 8);
    if (close === undefined) return undefined;
    return close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005;
  }

  /**
   * Waits until `done` holds or the connection ends, at most `ms`: a frame
   * the server is still reading (it waits for the rest) would hang otherwise.
   * Says whether `done` holds.
   */
  async until(done: () => boolean, ms = 5_000): Promise<boolean> {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.#notify();
    }, ms);
    try {
      while (!done() && !this.#ended && !timedOut)
        await new Promise<void>((resolve) => this.#listeners.push(resolve));
    } finally {
      clearTimeout(deadline);
    }
    return done();
  }

  close(): void {
    this.socket.destroy();
  }

  #notify(): void {
    for (const listener of this.#listeners.splice(0)) listener();
  }

  #parse(): void {
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) break;
      let size = (buffer[1] ?? 0) & 0x7f;
      let offset = 2;
      if (size === 126) {
        if (buffer.length < 4) break;
        size = buffer.readUInt16BE(2);
        offset = 4;
      } else if (size === 127) {
        if (buffer.length < 10) break;
        size = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + size) break;
      this.frames.push({
        opcode: (buffer[0] ?? 0) & 0x0f,
        payload: buffer.subarray(offset, offset + size),
      });
      this.#buffer = buffer.subarray(offset + size);
    }
    this.#notify();
  }
}
