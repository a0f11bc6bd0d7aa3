import { parseArgs } from 'node:util';
import { isBreakwaterError } from '@breakwater/core';
import type { Command } from '../cli/command';
import { parsePort } from '../cli/port';
import { asUsageError, UsageError } from '../cli/usage-error';
import { defaultDurationMs, runDemo } from '../demo/run-demo';
import { serveDemoMonitor } from '../monitor/demo-monitor';
import { demoLine } from './command-lines';

/** Longest run `--duration` accepts, seconds (one hour of demo time is 20 hours at real scale). */
const maxDurationSeconds = 3_600;

const { usage } = demoLine;

const help = `Usage: breakwater ${usage}

Runs the services of a configuration file (default: the DegenDuel fleet's
twelve) in a registry of circuit breakers under simulated traffic and injected
outages, 20× faster than real time, printing each state change, a status
table every 5 s and a summary. Ctrl-C stops early. Breaker states are kept in
the local store: the next run starts from where this one ended.

With --port it also serves the monitor and the web dashboard, prints two
links to open in a browser (an admin one and a read-only viewer one, each
with a token valid for 12 hours) and runs until Ctrl-C, its outages coming
back every 45 s; --duration still bounds it.

Options:
  --duration SECONDS  how long to run (default ${defaultDurationMs / 1000}; with --port, until Ctrl-C)
  --config FILE       the configuration (default examples/degenduel.yaml)
  --store FILE        the store file (default: the configuration's store path)
  --fresh             delete the store file first: start with nothing restored
  --redis URL         share the breakers through Redis instead of the store
                      file: run two demos on one Redis and watch each one's
                      opens reach the other (reason: shared)
  --port N            also serve the monitor (HTTP API, WebSocket stream) and
                      the dashboard on 127.0.0.1:N (0 = any free port; env
                      BREAKWATER_DEMO_PORT); without BREAKWATER_JWT_SECRET a
                      secret is made for the run
  --no-color          plain text even on a terminal (NO_COLOR works too)
  -h, --help          show this help
`;

/** `breakwater demo`: the terminal demo. */
export const demoCommand: Command = {
  ...demoLine,
  async run(args, io) {
    const values = parseDemoArgs(args);
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    const env = io.env ?? process.env;
    const portText = values.port ?? nonEmpty(env.BREAKWATER_DEMO_PORT);
    const port =
      portText === undefined
        ? undefined
        : parsePort(portText, values.port === undefined ? 'BREAKWATER_DEMO_PORT' : '--port');
    // Serving the dashboard, it keeps going until Ctrl-C; in the terminal alone, a short story.
    const durationMs =
      values.duration !== undefined
        ? parseSeconds(values.duration) * 1000
        : port === undefined
          ? defaultDurationMs
          : Number.POSITIVE_INFINITY;
    const interrupts = io.interrupts();
    try {
      await runDemo({
        clock: io.clock,
        durationMs,
        write: io.stdout,
        color: io.color && values['no-color'] !== true,
        signal: interrupts.signal,
        configFile: values.config,
        storeFile: values.store,
        fresh: values.fresh === true,
        redisUrl: values.redis,
        onOpen:
          port === undefined
            ? undefined
            : (registry) => serveDemoMonitor(registry, { port, env, write: io.stdout }),
      });
      return 0;
    } catch (error) {
      // A bad configuration, an unusable store file or Redis, a taken port: its message says what is wrong.
      if (!isBreakwaterError(error)) throw error;
      io.stderr(`breakwater: ${error.message}\n`);
      return 1;
    } finally {
      interrupts.release();
    }
  },
};

function parseDemoArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        duration: { type: 'string' },
        config: { type: 'string' },
        store: { type: 'string' },
        fresh: { type: 'boolean' },
        redis: { type: 'string' },
        port: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error, 'demo');
  }
}

function parseSeconds(text: string): number {
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  if (!(seconds > 0 && seconds <= maxDurationSeconds)) {
    throw new UsageError(
      `--duration must be a number of seconds > 0 and ≤ ${maxDurationSeconds}, got '${text}'`,
    );
  }
  return seconds;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
