import { parseArgs } from 'node:util';
import type { ServiceUpdateMessage } from '@breakwater/protocol';
import type { Command } from '../cli/command';
import { asUsageError } from '../cli/usage-error';
import { exitCodes, exitCodesHelp } from '../remote/exit-codes';
import { monitorTarget } from '../remote/monitor-target';
import { envOf, remoteOptions, reportFailure } from '../remote/remote-command';
import { openCircuits, statusSummary, statusTable } from '../terminal/status-table';
import { createStyle } from '../terminal/style';
import { openMonitorStream } from '../watch/monitor-stream';
import { ServiceBoard } from '../watch/service-board';
import { WatchScreen } from '../watch/watch-screen';
import { watchLine } from './command-lines';

const help = `Usage: breakwater ${watchLine.usage}

Shows the services of a running monitor live, as 'breakwater status' does,
from its WebSocket stream (/api/v2/ws/circuit-breaker): the view is redrawn
in place on every update the monitor pushes (a change of state or health,
and a full update every 5 s). Ctrl-C quits.

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

${exitCodesHelp}  A stream that drops while watching (the monitor stopped) also exits 6.
`;

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
    const board = new ServiceBoard();
    let open: string[] = [];

    const onUpdate = (message: ServiceUpdateMessage): void => {
      board.apply(message);
      open = openCircuits(board.rows());
      if (json) {
        io.stdout(`${JSON.stringify(message)}\n`);
      } else {
        const rows = board.rows();
        const asOf = (board.asOf ?? message.timestamp).replace('T', ' ').replace(/\.\d+Z$/, 'Z');
        screen.draw([
          `${style.bold('breakwater watch')}  ${target.shown}  ${style.dim(`as of ${asOf}`)}`,
          '',
          ...statusTable(rows, style),
          '',
          statusSummary(rows),
          ...(once ? [] : [style.dim('Ctrl-C to quit')]),
        ]);
      }
      if (once) stream.stop();
    };

    const stream = openMonitorStream(target, onUpdate);
    const interrupts = io.interrupts();
    interrupts.signal.addEventListener('abort', () => stream.stop(), { once: true });
    try {
      const end = await stream.ended;
      screen.close();
      if (!end.stopped) return reportFailure(io, end.failure, false);
      return once && open.length > 0 ? exitCodes.circuitOpen : exitCodes.ok;
    } finally {
      interrupts.release();
    }
  },
};

function parseWatchArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...remoteOptions, once: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error, 'watch');
  }
}
