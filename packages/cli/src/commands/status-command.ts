import type { Command } from '../cli/command';
import { parseCommandArgs, UsageError } from '../cli/usage-error';
import { exitCodes, exitCodesHelp } from '../remote/exit-codes';
import { requestMonitor } from '../remote/monitor-request';
import { monitorTarget } from '../remote/monitor-target';
import {
  envOf,
  printJson,
  remoteOptions,
  remoteOptionsHelp,
  reportFailure,
} from '../remote/remote-command';
import { openCircuits, type StatusRow, statusSummary, statusTable } from '../terminal/status-table';
import { createStyle } from '../terminal/style';
import { statusLine } from './command-lines';

const help = `Usage: breakwater ${statusLine.usage}

Shows the services of a running monitor (or only NAME): the health of each,
the state of its circuit, the failures counted toward opening it, and while
it is open how long until a recovery trial. Exits 3 when a circuit shown is
open or forced open, so it serves as a health probe:

  breakwater status --url http://10.0.0.7:8080 > /dev/null || alert-someone

Needs a viewer or admin token. With --json it prints the monitor's answer:
GET /api/circuit-breakers/health, or GET /api/circuit-breakers/NAME.

Options:
${remoteOptionsHelp}

${exitCodesHelp}`;

/** A breaker's status as the monitor's viewer routes answer it (the fields shown). */
interface BreakerJson {
  readonly name: string;
  readonly state: string;
  readonly health: string;
  readonly failureCount: number;
  readonly recoveryIn: number | null;
  readonly degradedBy?: readonly string[];
}

/** `breakwater status`: what every circuit of a monitor is doing now. */
export const statusCommand: Command = {
  ...statusLine,
  async run(args, io) {
    const { values, positionals } = parseStatusArgs(args);
    if (values.help) {
      io.stdout(help);
      return exitCodes.ok;
    }
    if (positionals.length > 1) {
      throw new UsageError(`'status' takes at most one service NAME, got ${positionals.length}`);
    }
    const [name] = positionals;
    const target = monitorTarget(values, envOf(io));
    const json = values.json === true;
    const reply = await requestMonitor(
      target,
      name === undefined
        ? {
            method: 'GET',
            route: 'api/circuit-breakers/health',
            doing: 'list the services',
            role: 'viewer',
          }
        : {
            method: 'GET',
            route: `api/circuit-breakers/${encodeURIComponent(name)}`,
            doing: `show '${name}'`,
            role: 'viewer',
          },
    );
    if (!reply.ok) return reportFailure(io, reply.failure, json);
    const breakers =
      name === undefined
        ? (reply.body as { breakers: readonly BreakerJson[] }).breakers
        : [reply.body as BreakerJson];
    const rows = breakers.map(rowOf);
    if (json) {
      printJson(io, reply.body);
    } else {
      const style = createStyle(io.color);
      io.stdout(`${[...statusTable(rows, style), '', statusSummary(rows)].join('\n')}\n`);
    }
    return openCircuits(rows).length === 0 ? exitCodes.ok : exitCodes.circuitOpen;
  },
};

function rowOf(breaker: BreakerJson): StatusRow {
  return {
    service: breaker.name,
    health: breaker.health,
    state: breaker.state,
    failures: breaker.failureCount,
    recoveryIn: breaker.recoveryIn,
    degradedBy: breaker.degradedBy ?? [],
  };
}

function parseStatusArgs(args: readonly string[]) {
  return parseCommandArgs('status', args, { options: remoteOptions, allowPositionals: true });
}
