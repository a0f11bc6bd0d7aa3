import type { ServiceSnapshot } from '@breakwater/client';
import type { Command } from '../cli/command';
import { parseCommandArgs } from '../cli/usage-error';
import { exitCodes, exitCodesHelp } from '../remote/exit-codes';
import { monitorTarget } from '../remote/monitor-target';
import { envOf, remoteOptions, reportFailure } from '../remote/remote-command';
import { openCircuits, type StatusRow, statusSummary, statusTable } from '../terminal/status-table';
import { createStyle } from '../terminal/style';
import { openMonitorStream } from '../watch/monitor-stream';
import { WatchScreen } from '../watch/watch-screen';
import { watchLine } from './command-lines';

const help = `Usage: breakwater ${watchLine.usage}

Shows the services of a running monitor live, as 'breakwater status' does,
from its WebSocket stream (/api/v2/ws/circuit-breaker): the view is redrawn
in place on every update the monitor pushes (a change of state or health,
and a full update every 5 s). When the connection is lost (the monitor
restarts) it says so and tries again after growing delays (up to 30 s),
and catches up once the monitor is back; a monitor that cannot be reached
at the start ends it (exit 6). Ctrl-C quits.

Needs a viewer or admin token.

Options:
  --once         print the first full view and exit, with status's exit code
                 (3 when a circuit is open or forced open)
  --json         print each service:update message as the monitor sent it,
                 one JSON object per line (with --once, only the first)
  --no-color     plain text even on a terminal (NO_COLOR works too)
  --url URL      the monitor (default: env BREAKWATER_URL, else http://127.0.0.1:8080)
  --token TOKEN  the token sent as the WebSocket subprotocol (default: env
                 BREAKWATER_TOKEN, which other users cannot see in ps);
                 mint one with 'breakwater token'
  -h, --help     show this help

${exitCodesHelp}`;

/** `breakwater watch`: the status table, live. */
export const watchCommand: Command = {
  ...watchLine,
  async run(args, io) {
    const values = parseWatchArgs(args);
    if (values.help) {
      io.stdout(help);
      return exitCodes.ok;
    }
    const target = monitorTarget(values, envOf(io));
    const once = values.once === true;
    const json = values.json === true;
    const style = createStyle(io.color && values['no-color'] !== true);
    const screen = new WatchScreen(io.stdout, io.tty === true && !once);
    let rows: StatusRow[] = [];
    let asOf = '';
    /** Shown in the header while the stream is lost. */
    let connection = '';

    const draw = (): void => {
      screen.draw([
        [
          style.bold('breakwater watch'),
          target.shown,
          style.dim(`as of ${asOf}`),
          ...(connection === '' ? [] : [style.yellow(connection)]),
        ].join('  '),
        '',
        ...statusTable(rows, style),
        '',
        statusSummary(rows),
        ...(once ? [] : [style.dim('Ctrl-C to quit')]),
      ]);
    };

    const stream = openMonitorStream(
      target,
      {
        onUpdate(services, message) {
          rows = services.map(rowOf);
          asOf = message.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
          if (json) io.stdout(`${JSON.stringify(message)}\n`);
          else draw();
          if (once) stream.stop();
        },
        onConnection(status, attempt) {
          const next =
            status === 'connected' || attempt === undefined
              ? ''
              : `connection lost: reconnecting (attempt ${attempt.attempt} in ${(attempt.delay / 1000).toFixed(1)}s)`;
          const changed = next !== connection;
          connection = next;
          // Redraw the last view with the news; before the first view there is nothing to redraw.
          if (changed && !json && asOf !== '') draw();
        },
      },
      { reconnect: !once },
    );
    const interrupts = io.interrupts();
    interrupts.signal.addEventListener('abort', () => stream.stop(), { once: true });
    try {
      const end = await stream.ended;
      screen.close();
      if (!end.stopped) return reportFailure(io, end.failure, false);
      return once && openCircuits(rows).length > 0 ? exitCodes.circuitOpen : exitCodes.ok;
    } finally {
      interrupts.release();
    }
  },
};

/** A service of the stream as the status table shows it. */
function rowOf(snapshot: ServiceSnapshot): StatusRow {
  return {
    service: snapshot.service,
    health: snapshot.status,
    state: snapshot.circuit.phase,
    failures: snapshot.circuit.failureCount,
    recoveryIn: snapshot.circuit.recoveryIn,
    degradedBy: snapshot.circuit.degradedBy,
  };
}

function parseWatchArgs(args: readonly string[]) {
  return parseCommandArgs('watch', args, {
    options: { ...remoteOptions, once: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
    allowPositionals: false,
  }).values;
}
