import { parseArgs } from 'node:util';
import { type BreakwaterConfig, loadConfig, registryOptionsOf } from '@breakwater/config';
import {
  isBreakwaterError,
  isConfigError,
  MemoryStore,
  Registry,
  type StateStore,
} from '@breakwater/core';
import { dashboardRoot } from '@breakwater/dashboard';
import {
  createMonitor,
  isAuthSetupError,
  isMonitorStartError,
  type Monitor,
} from '@breakwater/server';
import { LocalStore } from '@breakwater/store-local';
import type { Command } from '../cli/command';
import { parsePort } from '../cli/port';
import { connectSharedStore } from '../cli/shared-store';
import { asUsageError, UsageError } from '../cli/usage-error';
import { createServeLogger, logTransitions } from '../monitor/transition-log';
import { serveLine } from './command-lines';

const { usage } = serveLine;

const help = `Usage: breakwater ${usage}

Serves the monitor (HTTP API, Prometheus metrics, the WebSocket stream) for
the services of a configuration file, with breaker states kept in its store.
With store type redis it joins the fleet on that Redis: it shows the shared
breakers of every instance, and its admin actions reach every instance.
When ready it prints two lines:
  listening on http://HOST:PORT
  dashboard: http://HOST:PORT/
Open the web dashboard with a token after #token= in its address
(http://HOST:PORT/#token=TOKEN; breakwater token mints one): the browser
keeps it and never sends it with a page request.
Then it logs one JSON line per event (pino): every transition, as
  {"level":"warn","time":"2026-11-23T11:09:36.914Z","pid":…,"hostname":…,
   "breaker":"payments","from":"closed","to":"open",
   "reason":"consecutive-failures","msg":"circuit transition"}
every manual action (with the actor's sub) and every alert. No line holds a
token or a secret.

Ctrl-C or SIGTERM stops it: it stops accepting connections, lets requests,
WebSocket clients and webhook deliveries finish for up to the file's
server.shutdownTimeout (5 s by default), cuts whatever is left, saves every
breaker and exits. A second Ctrl-C or SIGTERM exits at once, without saving.

Exit status: 0 after a stop; 1 when it cannot start (a bad file, store,
secret or port: the message says which); 130 after a second Ctrl-C and 143
after a second SIGTERM (ended by the signal).

The JWT secret is read from the environment variable named by the file's
auth.jwtSecretEnv (default BREAKWATER_JWT_SECRET, at least 32 characters).

Options:
  --config FILE  the configuration file (.yaml, .yml or .json)
  --port N       the port (default: the file's server.port; 0 = any free port)
  --host H       the interface (default: the file's server.host)
  --no-dashboard serve the API only, not the web dashboard at /
                 (or server.dashboard: false in the file)
  -h, --help     show this help
`;

/** `breakwater serve`: the monitor for a configuration file, standalone. */
export const serveCommand: Command = {
  ...serveLine,
  async run(args, io) {
    const values = parseServeArgs(args);
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (values.config === undefined) throw new UsageError("missing --config FILE for 'serve'");
    const portFlag = values.port === undefined ? undefined : parsePort(values.port);
    const fail = (message: string): number => {
      io.stderr(`breakwater: ${message}\n`);
      return 1;
    };

    let config: BreakwaterConfig;
    try {
      config = await loadConfig(values.config);
    } catch (error) {
      if (!isBreakwaterError(error)) throw error;
      return fail(error.message);
    }
    let registry: Registry;
    let store: StateStore;
    try {
      store = await openStore(config);
      try {
        // On Redis the server is one more instance of the fleet: it sees and acts on every instance's breakers.
        const shared = config.store.type === 'redis';
        registry = await Registry.open({ store, shared, ...registryOptionsOf(config) });
      } catch (error) {
        await store.close();
        throw error;
      }
    } catch (error) {
      if (!isBreakwaterError(error)) throw error;
      return fail(error.message);
    }

    const host = values.host ?? config.server.host;
    const withDashboard = values['no-dashboard'] !== true && config.server.dashboard;
    const port = portFlag ?? config.server.port;
    let monitor: Monitor | undefined;
    const logger = createServeLogger(io.stdout);
    let stopLogging: (() => void) | undefined;
    const interrupts = io.interrupts();
    try {
      try {
        monitor = createMonitor({
          registry,
          store,
          ...(withDashboard ? { dashboard: dashboardRoot } : {}),
          auth: config.auth,
          alerts: config.alerts,
          log: (line) => logger.warn(line),
          updateInterval: config.server.updateInterval,
          shutdownTimeout: config.server.shutdownTimeout,
          maxBodyBytes: config.server.maxBodyBytes,
          authFailuresPerMinute: config.server.authFailuresPerMinute,
          adminActionsPerMinute: config.server.adminActionsPerMinute,
          trustedProxies: config.server.trustedProxies,
          ...config.server.ws,
        });
      } catch (error) {
        // A missing or short secret, an unbuilt dashboard: the message names it.
        if (!isAuthSetupError(error) && !isConfigError(error)) throw error;
        return fail(error.message);
      }
      let url: string;
      try {
        ({ url } = await monitor.start({ port, host }));
      } catch (error) {
        // A taken port, one not allowed, an unknown host: the message names it.
        if (!isMonitorStartError(error)) throw error;
        return fail(error.message);
      }
      io.stdout(`listening on ${url}\n`);
      if (withDashboard) io.stdout(`dashboard: ${url}/\n`);
      stopLogging = logTransitions(registry, logger);
      await stopped(interrupts.signal);
      // The interrupts are released: a second signal now ends the process the usual way, at once.
      logger.info(
        { shutdownTimeout: config.server.shutdownTimeout },
        'stopping: a second Ctrl-C or SIGTERM exits at once',
      );
      return 0;
    } finally {
      interrupts.release();
      await monitor?.stop();
      // Logged until the store is closed: the last checkpoint's failure is a log line too.
      await registry.close();
      stopLogging?.();
    }
  },
};

async function openStore(config: BreakwaterConfig): Promise<StateStore> {
  const { auditRetention } = config.store;
  switch (config.store.type) {
    case 'local':
      return LocalStore.open(config.store.path, { auditRetention });
    case 'memory':
      return new MemoryStore({ auditRetention });
    case 'redis':
      return connectSharedStore(config.store.url, config.store.keyPrefix, auditRetention);
  }
}

/** Resolves when the signal aborts. */
function stopped(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function parseServeArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'no-dashboard': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error, 'serve');
  }
}
