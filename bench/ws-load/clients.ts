/**
 * The client side of bench/ws-load.ts, in its own process so the server's
 * memory and event loop are measured alone: opens N `ws` connections in
 * batches, subscribes each to every service, waits for each one's first full
 * `service:update`, then on every `arm` records when each client receives an
 * update showing the expected state.
 *
 *   forked by bench/ws-load.ts with one argument: ClientSettings as JSON
 */
import type { ServiceUpdateMessage } from '@breakwater/protocol';
import { WebSocket } from 'ws';
import { type ClientSettings, type FromClients, monotonicMs, type ToClients } from './ipc';

const settings = JSON.parse(process.argv[2] ?? '{}') as ClientSettings;

interface Armed {
  readonly round: number;
  readonly service: string;
  readonly state: 'open' | 'closed';
  readonly arrivals: (number | null)[];
  pending: number;
  readonly timer: NodeJS.Timeout;
}

const sockets: WebSocket[] = [];
let armed: Armed | undefined;

function tell(message: FromClients): void {
  process.send?.(message);
}

function finishRound(): void {
  if (armed === undefined) return;
  const { round, arrivals, timer } = armed;
  clearTimeout(timer);
  armed = undefined;
  tell({ type: 'arrivals', round, arrivals });
}

function reflects(message: unknown, service: string, state: 'open' | 'closed'): boolean {
  const update = message as Partial<ServiceUpdateMessage>;
  if (update.type !== 'service:update' || !Array.isArray(update.services)) return false;
  return update.services.some(
    (entry) => entry.service === service && entry.circuit.state === state,
  );
}

/** Opens one client; resolves once its first full `service:update` has arrived. */
function connect(index: number): Promise<void> {
  const token = settings.tokens[Math.floor(index / 20) % settings.tokens.length] ?? '';
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(settings.url, token, { perMessageDeflate: false });
    let subscribed = false;
    /** This client's place in `sockets` and in a round's `arrivals`, once subscribed. */
    let slot = -1;
    const timer = setTimeout(() => fail(new Error('no full service:update within 30 s')), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('close', (code) => {
      if (!subscribed) fail(new Error(`closed with ${code} before the first update`));
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe:services' })));
    socket.on('message', (data) => {
      const received = monotonicMs();
      const message = JSON.parse(String(data)) as Partial<ServiceUpdateMessage>;
      if (!subscribed) {
        if (message.type === 'service:update' && message.services?.length === settings.services) {
          subscribed = true;
          slot = sockets.push(socket) - 1;
          clearTimeout(timer);
          socket.off('error', fail);
          socket.on('error', () => undefined);
          resolve();
        }
        return;
      }
      const round = armed;
      if (round === undefined || round.arrivals[slot] !== null) return;
      if (!reflects(message, round.service, round.state)) return;
      round.arrivals[slot] = received;
      round.pending -= 1;
      if (round.pending === 0) finishRound();
    });
  });
}

async function connectAll(): Promise<void> {
  const started = monotonicMs();
  let failed = 0;
  let firstError: string | null = null;
  for (let first = 0; first < settings.clients; first += settings.batch) {
    const size = Math.min(settings.batch, settings.clients - first);
    const results = await Promise.allSettled(
      Array.from({ length: size }, (_, offset) => connect(first + offset)),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      failed += 1;
      firstError ??= String(result.reason);
    }
  }
  tell({
    type: 'connected',
    clients: sockets.length,
    failed,
    connectMs: monotonicMs() - started,
    firstError,
  });
}

process.on('message', (message: ToClients) => {
  switch (message.type) {
    case 'connect':
      void connectAll();
      return;
    case 'arm':
      armed = {
        round: message.round,
        service: message.service,
        state: message.state,
        arrivals: sockets.map(() => null),
        pending: sockets.length,
        timer: setTimeout(finishRound, settings.roundTimeout),
      };
      tell({ type: 'armed', round: message.round });
      return;
    case 'close':
      for (const socket of sockets) socket.terminate();
      tell({ type: 'closed' });
      process.disconnect();
      return;
  }
});

tell({ type: 'ready' });
