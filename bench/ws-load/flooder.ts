/**
 * The hostile client of bench/ws-load.ts's flood mode, in a process of its
 * own: sends frames as fast as its socket takes them (pings, subscribes,
 * invalid JSON, binary frames, unknown types) and, each time the monitor
 * closes it, connects again, until told to stop; then reports what the
 * monitor did to it.
 *
 *   forked with two arguments: the stream's URL and a token
 */
import { WebSocket } from 'ws';

export interface FloodReport {
  readonly type: 'flood-report';
  readonly connections: number;
  readonly sent: number;
  /** `error` messages received, by code. */
  readonly errors: Record<string, number>;
  /** Closes, by code. */
  readonly closes: Record<string, number>;
  /** Replies that were not errors (pongs, updates). */
  readonly answered: number;
}

const [url = '', token = ''] = process.argv.slice(2);
const frames: Array<string | Buffer> = [
  '{"type":"ping"}',
  '{"type":"subscribe:services"}',
  '{"type":"nope"}',
  '{"type":',
  Buffer.from([0xde, 0xad, 0xbe, 0xef]),
  JSON.stringify({ type: 'subscribe:services', services: ['x'.repeat(200)] }),
];
const report = {
  type: 'flood-report',
  connections: 0,
  sent: 0,
  errors: {} as Record<string, number>,
  closes: {} as Record<string, number>,
  answered: 0,
};
let stopping = false;

function flood(): void {
  if (stopping) return;
  report.connections += 1;
  const socket = new WebSocket(url, token, { perMessageDeflate: false });
  socket.on('error', () => {});
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; code?: number };
    if (message.type === 'error') {
      const code = String(message.code);
      report.errors[code] = (report.errors[code] ?? 0) + 1;
    } else report.answered += 1;
  });
  socket.on('close', (code) => {
    report.closes[code] = (report.closes[code] ?? 0) + 1;
    setImmediate(flood);
  });
  socket.on('open', function burst() {
    // As fast as the socket drains: a batch, then again once it is written.
    if (socket.readyState !== WebSocket.OPEN || stopping) return;
    for (let i = 0; i < 50; i++) {
      socket.send(frames[report.sent % frames.length] as string | Buffer);
      report.sent += 1;
    }
    if (socket.bufferedAmount > 0) socket.once('drain' as 'open', burst);
    else setImmediate(burst);
  });
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    flood();
    process.send?.({ type: 'flooding' });
  }
  if (message.type === 'stop') {
    stopping = true;
    process.send?.(report);
    process.disconnect();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
process.send?.({ type: 'ready' });
