/**
 * The load side of bench/soak.ts, in its own process so the demo's memory,
 * handles and event loop are measured alone: a few `ws` clients subscribed
 * to every service (each reconnects now and then, so connection churn is in
 * the soak too), HTTP reads of the API and /metrics at a steady pace, and an
 * admin action (force-open then release, or a reset) every few seconds.
 *
 *   forked by bench/soak.ts with one argument: LoadSettings as JSON;
 *   answers `stop` with its totals and exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { LoadSettings, LoadTotals, ToLoad } from './ipc';

const settings = JSON.parse(process.argv[2] ?? '{}') as LoadSettings;
const totals: LoadTotals = {
  wsConnects: 0,
  wsMessages: 0,
  wsErrors: 0,
  httpOk: 0,
  httpFailed: 0,
  adminActions: 0,
  firstError: null,
};
let stopping = false;
const sockets = new Set<WebSocket>();

function fail(what: string, error: unknown): void {
  totals.firstError ??= `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

/** One subscribed client for `lifetimeMs`, then a fresh one, until the soak stops. */
async function client(index: number): Promise<void> {
  const wsUrl = `${settings.url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`;
  while (!stopping) {
    const socket = new WebSocket(wsUrl, settings.viewerToken, { perMessageDeflate: false });
    sockets.add(socket);
    socket.on('open', () => {
      totals.wsConnects += 1;
      socket.send(JSON.stringify({ type: 'subscribe:services' }));
    });
    socket.on('message', () => {
      totals.wsMessages += 1;
    });
    socket.on('error', (error) => {
      totals.wsErrors += 1;
      fail(`ws client ${index}`, error);
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Spread the reconnections so the clients do not all churn at once.
    await Promise.race([closed, sleep(settings.wsLifetimeMs * (0.75 + 0.5 * Math.random()))]);
    socket.close();
    await Promise.race([closed, sleep(2_000)]);
    socket.terminate();
    sockets.delete(socket);
  }
}

async function request(path: string, token: string | null, method = 'GET'): Promise<void> {
  try {
    const response = await fetch(`${settings.url}${path}`, {
      method,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) totals.httpOk += 1;
    else {
      totals.httpFailed += 1;
      fail(`${method} ${path}`, new Error(`HTTP ${response.status}`));
    }
  } catch (error) {
    totals.httpFailed += 1;
    fail(`${method} ${path}`, error);
  }
}

/** The reads a dashboard and a Prometheus scraper would make, one every `readEveryMs`. */
async function reader(): Promise<void> {
  const service = settings.services[0] ?? '';
  const reads: [string, string | null][] = [
    ['/api/circuit-breakers/health', settings.viewerToken],
    ['/metrics', null],
    [`/api/circuit-breakers/${service}`, settings.viewerToken],
    [`/api/circuit-breakers/${service}/history`, settings.viewerToken],
    ['/api/health/circuit-breaker', null],
    ['/api/audit?limit=20', settings.adminToken],
  ];
  for (let turn = 0; !stopping; turn += 1) {
    const [path, token] = reads[turn % reads.length] as [string, string | null];
    await request(path, token);
    await sleep(settings.readEveryMs);
  }
}

/** Force-opens a service and releases it a little later; every third turn a reset-all instead. */
async function admin(): Promise<void> {
  for (let turn = 0; !stopping; turn += 1) {
    await sleep(settings.adminEveryMs);
    if (stopping) break;
    const service = settings.services[turn % settings.services.length] ?? '';
    if (turn % 3 === 2) {
      await request('/api/circuit-breakers/reset', settings.adminToken, 'POST');
    } else {
      await request(`/api/circuit-breakers/${service}/force-open`, settings.adminToken, 'POST');
      await sleep(settings.adminEveryMs / 2);
      await request(`/api/circuit-breakers/${service}/release`, settings.adminToken, 'POST');
    }
    totals.adminActions += 1;
  }
}

const running = [
  ...Array.from({ length: settings.wsClients }, (_, index) => client(index)),
  reader(),
  admin(),
];

process.on('message', async (message: ToLoad) => {
  if (message.type === 'totals') {
    process.send?.({ type: 'totals', totals });
    return;
  }
  stopping = true;
  for (const socket of sockets) socket.close();
  await Promise.allSettled(running);
  process.send?.({ type: 'totals', totals });
  process.disconnect();
});

// A soak stopped early (Ctrl-C, a kill) must not leave its load running.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
