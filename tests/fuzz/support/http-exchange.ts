import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface Probe {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer | undefined;
  /** Sent with `Transfer-Encoding: chunked` instead of a `Content-Length`. */
  readonly chunked?: boolean;
}

/** Sends `probe` with Node's HTTP client on a connection of its own. */
export function send(port: number, probe: Probe): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...probe.headers, connection: 'close' };
    // Node's client writes a GET's or HEAD's body without framing unless told to chunk it.
    if (probe.body !== undefined)
      if (probe.chunked) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] = String(probe.body.length);
    const outgoing = request(
      { host: '127.0.0.1', port, method: probe.method, path: probe.path, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error: Error & { rawPacket?: Buffer }) => {
      // What the server sent that Node's client could not read, to see which side is wrong.
      if (error.rawPacket)
        error.message += `: ${JSON.stringify(error.rawPacket.toString('latin1'))}`;
      reject(error);
    });
    if (probe.body === undefined) outgoing.end();
    else outgoing.end(probe.body);
  });
}

/**
 * Writes `bytes` on a bare TCP connection and reads one HTTP answer (status
 * line, headers, a `Content-Length` body); for what Node's client refuses to
 * send. Undefined when the server closed without answering, or said nothing
 * within 5 s.
 */
export async function sendRaw(port: number, bytes: Buffer): Promise<Answer | undefined> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(bytes);
  let received = Buffer.alloc(0);
  try {
    return await new Promise<Answer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 5_000);
      const finish = (answer: Answer | undefined) => {
        clearTimeout(timer);
        resolve(answer);
      };
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const answer = parseAnswer(received);
        if (answer !== undefined) finish(answer);
      });
      socket.on('close', () => finish(parseAnswer(received, true)));
    });
  } finally {
    socket.destroy();
  }
}

function parseAnswer(bytes: Buffer, ended = false): Answer | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  // A 101 has no body: the connection is a WebSocket from here on.
  if (status === 101) return { status, headers, body: Buffer.alloc(0) };
  const length = Number(headers['content-length'] ?? Number.NaN);
  const body = bytes.subarray(end + 4);
  // A HEAD's answer announces a length and sends no body: it ends with the connection.
  if (!ended && (Number.isInteger(length) ? body.length < length : true)) return undefined;
  return { status, headers, body: Number.isInteger(length) ? body.subarray(0, length) : body };
}
